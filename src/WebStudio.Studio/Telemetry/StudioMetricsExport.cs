using OpenTelemetry.Metrics;

namespace WebStudio.Studio.Telemetry;

/// <summary>
/// How every host exports its metrics with OpenTelemetry, in one place: the studio's meter and the host's own, and,
/// when <c>Metrics:Url</c> is set (e.g. <c>http://127.0.0.1:9464</c>, a port that only the monitoring network
/// reaches), a Prometheus listener of their own on that address that anyone who can connect may read. Without it,
/// a host with an address of its own exports there (the web app's <c>/metrics</c>), and one without exports none.
/// </summary>
public static class StudioMetricsExport
{
    public const string UrlSetting = "Metrics:Url";

    /// <summary>The listener's address apart, or null when <c>Metrics:Url</c> is not set.</summary>
    public static Uri? Apart(IConfiguration configuration) =>
        configuration[UrlSetting] is { Length: > 0 } url ? new Uri(url) : null;

    /// <param name="meters">The host's own meters, besides the studio's.</param>
    /// <param name="onOwnAddress">Exports on the host's own address when no listener is set apart; null: none.</param>
    public static void AddStudioMetricsExport(this IServiceCollection services, IConfiguration configuration,
        IReadOnlyList<string> meters, Action<MeterProviderBuilder>? onOwnAddress = null)
    {
        var apart = Apart(configuration);
        if (apart is null && onOwnAddress is null)
        {
            return;
        }

        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter([StudioMetrics.MeterName, .. meters]);
            if (apart is null)
            {
                onOwnAddress!(metrics);
            }
            else
            {
                metrics.AddPrometheusHttpListener(listener => (listener.Host, listener.Port) = (apart.Host, apart.Port));
            }
        });
    }
}
