using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Queue;

/// <summary>
/// Exactly <see cref="QueueOptions.SubmissionsPerMinute"/> submissions per user in any 60 seconds, on every web node
/// together: the sliding log is the user's jobs themselves, counted by their creation time in the database. A token
/// bucket (or a fixed or segmented window) lets up to twice the figure through across a refill, which is what an
/// outside probe measured; a log of the last N times has no such burst. An in-memory log held per process, which
/// this replaces, let each web node accept N. The check runs inside the submission's transaction, which already
/// serialises one user's submissions (SQLite's write lock, PostgreSQL's per-user advisory lock), so two nodes cannot
/// both take the last place. A deleted job no longer counts (deleting history within the minute frees its place).
/// </summary>
public sealed class SubmissionRateLimiter(IOptions<QueueOptions> options, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Submissions allowed per user in any <see cref="Window"/>.</summary>
    public int Limit { get; } = Math.Max(1, options.Value.SubmissionsPerMinute);

    /// <summary>The time a submission accepted now is stored with (the job's CreatedAt), so the log and the jobs agree.</summary>
    public DateTime Now() => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Inside the submission's transaction, before its job is inserted with <paramref name="now"/> as its creation time.
    /// </summary>
    /// <returns>null when allowed, else how long until the oldest submission in the window leaves it.</returns>
    public Task<TimeSpan?> CheckAsync(StudioDbContext db, string userId, DateTime now, CancellationToken cancellationToken = default) =>
        CheckAsync(db, userId, now, Limit, cancellationToken);

    /// <summary>As <see cref="CheckAsync(StudioDbContext, string, DateTime, CancellationToken)"/> with the user's own
    /// limit (their role's quota or their override).</summary>
    public async Task<TimeSpan?> CheckAsync(StudioDbContext db, string userId, DateTime now, int limit, CancellationToken cancellationToken = default)
    {
        limit = Math.Max(1, limit);
        var since = now - Window;
        var recent = await db.Jobs.AsNoTracking()
            .Where(j => j.OwnerId == userId && j.CreatedAt > since)
            .OrderByDescending(j => j.CreatedAt)
            .Select(j => j.CreatedAt)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return RetryAfter(recent, now, limit);
    }

    /// <summary>
    /// The decision on the user's newest creation times in the window (newest first, at most <see cref="Limit"/>):
    /// allowed below the limit, else the wait until the Limit-th newest leaves the window, when one place frees.
    /// </summary>
    public TimeSpan? RetryAfter(IReadOnlyList<DateTime> newestFirst, DateTime now) => RetryAfter(newestFirst, now, Limit);

    private static TimeSpan? RetryAfter(IReadOnlyList<DateTime> newestFirst, DateTime now, int limit)
    {
        if (newestFirst.Count < limit)
        {
            return null;
        }

        var wait = newestFirst[limit - 1] + Window - now;
        return wait > TimeSpan.Zero ? wait : null;
    }
}
