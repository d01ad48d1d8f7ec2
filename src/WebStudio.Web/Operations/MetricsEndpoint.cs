using OpenTelemetry.Metrics;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Telemetry;

namespace WebStudio.Web.Operations;

/// <summary>
/// The studio's metrics (<see cref="StudioMetrics"/>) and ASP.NET Core's own, in Prometheus's text format at
/// <c>/metrics</c>. Either an administrator's sign-in protects it, or <c>Metrics:Url</c> binds it apart (e.g.
/// <c>http://127.0.0.1:9464</c>, a port that only the monitoring network reaches), where it is served to anyone who
/// can connect and nowhere else.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";
    public const string UrlSetting = "Metrics:Url";

    public static void AddStudioMetrics(this IServiceCollection services) =>
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(StudioMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.SignalR")
            .AddPrometheusExporter());

    public static void MapStudioMetrics(this WebApplication app)
    {
        var endpoint = app.MapPrometheusScrapingEndpoint(Path);
        if (app.Configuration[UrlSetting] is { Length: > 0 } url)
        {
            var apart = new Uri(url);
            app.Urls.Add(url);
            endpoint.RequireHost($"*:{apart.Port}").AllowAnonymous();
        }
        else
        {
            endpoint.RequireAuthorization(policy => policy.RequireRole(JobAccess.AdminRole));
        }
    }
}
