using OpenTelemetry.Metrics;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Telemetry;

namespace WebStudio.Web.Operations;

/// <summary>
/// The studio's metrics (<see cref="StudioMetrics"/>) and ASP.NET Core's own, in Prometheus's text format. Either
/// an administrator's sign-in protects <c>/metrics</c> on the studio's own address, or <c>Metrics:Url</c> binds them
/// apart (e.g. <c>http://127.0.0.1:9464</c>, a port that only the monitoring network reaches), on a listener of their
/// own that anyone who can connect may read; the studio's address then serves none. Workers do the same.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";
    public const string UrlSetting = "Metrics:Url";

    public static void AddStudioMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        var apart = Apart(configuration);
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(StudioMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.SignalR");
            if (apart is null)
            {
                metrics.AddPrometheusExporter();
            }
            else
            {
                metrics.AddPrometheusHttpListener(listener => (listener.Host, listener.Port) = (apart.Host, apart.Port));
            }
        });
    }

    public static void MapStudioMetrics(this WebApplication app)
    {
        if (Apart(app.Configuration) is null)
        {
            app.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(policy => policy.RequireRole(JobAccess.AdminRole));
        }
    }

    private static Uri? Apart(IConfiguration configuration) =>
        configuration[UrlSetting] is { Length: > 0 } url ? new Uri(url) : null;
}
