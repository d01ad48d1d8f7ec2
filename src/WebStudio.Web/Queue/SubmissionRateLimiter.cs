using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using WebStudio.Web.Options;

namespace WebStudio.Web.Queue;

/// <summary>
/// One token bucket per user (the PartitionedRateLimiter that ASP.NET Core's rate-limiting middleware is built on),
/// shared by every submission path — the Generate page's circuit and the HTTP API — so each is counted once.
/// </summary>
public sealed class SubmissionRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public SubmissionRateLimiter(IOptions<QueueOptions> options)
    {
        var perMinute = Math.Max(1, options.Value.SubmissionsPerMinute);
        _limiter = PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.GetTokenBucketLimiter(user, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = perMinute,
                TokensPerPeriod = perMinute,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <returns>null when allowed, else how long to wait.</returns>
    public TimeSpan? TryAcquire(string userId)
    {
        using var lease = _limiter.AttemptAcquire(userId);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(10);
    }

    public void Dispose() => _limiter.Dispose();
}
