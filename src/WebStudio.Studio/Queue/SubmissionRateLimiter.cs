using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Queue;

/// <summary>
/// Exactly <see cref="QueueOptions.SubmissionsPerMinute"/> submissions per user in any 60 seconds: a sliding log
/// of each user's acceptance times. A token bucket (or a fixed or segmented window) lets up to twice the figure
/// through across a refill, which is what an outside probe measured; a log of at most N times per user has no
/// such burst. One instance is shared by every submission path — the Generate page's circuit and the HTTP API —
/// so each submission is counted once. Memory: at most N times for each user who submitted.
/// </summary>
public sealed class SubmissionRateLimiter(IOptions<QueueOptions> options, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _accepted = new(StringComparer.Ordinal);

    /// <summary>Submissions allowed per user in any <see cref="Window"/>.</summary>
    public int Limit { get; } = Math.Max(1, options.Value.SubmissionsPerMinute);

    /// <returns>null when allowed (and counted), else how long until the oldest acceptance in the window leaves it.</returns>
    public TimeSpan? TryAcquire(string userId)
    {
        var log = _accepted.GetOrAdd(userId, _ => new Queue<DateTimeOffset>(Limit));
        lock (log)
        {
            var now = time.GetUtcNow();
            while (log.TryPeek(out var oldest) && now - oldest >= Window)
            {
                log.Dequeue();
            }

            if (log.Count < Limit)
            {
                log.Enqueue(now);
                return null;
            }

            return log.Peek() + Window - now;
        }
    }
}
