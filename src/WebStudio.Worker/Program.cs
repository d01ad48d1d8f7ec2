using Microsoft.Extensions.Hosting;

namespace WebStudio.Worker;

/// <summary>The queue workers as a process of their own: `dotnet run -c Release --project src/WebStudio.Worker`.
/// Ctrl+C or SIGTERM stops it; a running job goes back to the queue (JobRunner, on ApplicationStopping).
/// A named class, not top-level statements: those make a global Program that clashes with the web app's in tests
/// that reference both.</summary>
internal static class Program
{
    private static async Task Main(string[] args)
    {
        var builder = WorkerHost.CreateBuilder(args);
        using var host = builder.Build();
        WorkerHost.MigrateDatabase(host.Services);
        await host.RunAsync();
    }
}
