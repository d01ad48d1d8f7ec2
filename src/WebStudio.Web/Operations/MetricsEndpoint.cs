using OpenTelemetry.Metrics;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Telemetry;

namespace WebStudio.Web.Operations;

/// <summary>
/// The studio's metrics (<see cref="StudioMetrics"/>) and ASP.NET Core's own, in Prometheus's text format. Either
/// an administrator's sign-in protects <c>/metrics</c> on the studio's own address, or <c>Metrics:Url</c> binds them
/// apart (e.g. <c>http://127.0.0.1:9464</c>, a port that only the monitoring network reaches), on a listener of their
/// own that anyone who can connect may read (<see cref="StudioMetricsExport"/>, as workers do); the studio's address
/// then serves none.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";
    public const string UrlSetting = StudioMetricsExport.UrlSetting;

    public static void AddStudioMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStudioMetricsExport(configuration,
            ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.SignalR"],
            onOwnAddress: metrics => metrics.AddPrometheusExporter());
    }

    public static void MapStudioMetrics(this WebApplication app)
    {
        if (StudioMetricsExport.Apart(app.Configuration) is null)
        {
            app.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(policy => policy.RequireRole(JobAccess.AdminRole));
        }
    }
}
