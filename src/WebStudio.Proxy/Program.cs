using WebStudio.Proxy;

// The load balancer in front of the web nodes: `dotnet run --project src/WebStudio.Proxy -- --urls http://127.0.0.1:8080
// --Proxy:Nodes:0=http://127.0.0.1:5001 --Proxy:Nodes:1=http://127.0.0.1:5002`.
var builder = WebApplication.CreateBuilder(args);
var options = builder.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
var (routes, clusters) = StudioProxyConfig.For(options);
builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);

var app = builder.Build();
app.MapReverseProxy();
app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var address in app.Urls)
    {
        Console.WriteLine($"WebStudio proxy is running at {address}, in front of {string.Join(", ", options.Nodes)}");
    }
});
app.Run();

