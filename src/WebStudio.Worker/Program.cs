using Microsoft.Extensions.Hosting;
using WebStudio.Worker;

// The queue workers as a process of their own: `dotnet run -c Release --project src/WebStudio.Worker`.
// Ctrl+C or SIGTERM stops it; a running job goes back to the queue (JobRunner, on ApplicationStopping).
var builder = WorkerHost.CreateBuilder(args);
using var host = builder.Build();
WorkerHost.MigrateDatabase(host.Services);
await host.RunAsync();
