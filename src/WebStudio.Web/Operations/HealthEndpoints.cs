using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WebStudio.Data;
using WebStudio.Redis;

namespace WebStudio.Web.Operations;

/// <summary>
/// For a load balancer: <c>/healthz</c> says the process is alive (no dependency checked, so a database outage does
/// not get every node restarted), <c>/readyz</c> says whether this node can serve: the database answers and, when
/// configured, Redis does. Both are anonymous and answer JSON.
/// </summary>
public static class HealthEndpoints
{
    public const string Liveness = "/healthz";
    public const string Readiness = "/readyz";
    private const string ReadyTag = "ready";

    public static void AddStudioHealthChecks(this IServiceCollection services, bool redis)
    {
        var checks = services.AddHealthChecks().AddDbContextCheck<StudioDbContext>("database", tags: [ReadyTag]);
        if (redis)
        {
            checks.AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag]);
        }
    }

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(Liveness, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks(Readiness, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync }).AllowAnonymous();
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }

    /// <summary>Redis answers a PING within the check's time.</summary>
    private sealed class RedisHealthCheck(RedisConnection connection) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var redis = await connection.GetAsync().WaitAsync(cancellationToken);
                var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
                return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.0} ms");
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"Redis does not answer: {e.Message}");
            }
        }
    }
}
