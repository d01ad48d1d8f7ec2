using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Studio.Team;

/// <summary>A daily quota that refuses a submission: which (<paramref name="Field"/>), in words, and when it resets.</summary>
public sealed record QuotaRefusal(string Field, string Message, TimeSpan RetryAfter);

/// <summary>What a user has used of their daily quotas and what is left (null: no limit).</summary>
public sealed record QuotaUse(int ImagesToday, double GpuSecondsToday, int Queued, Quotas Quotas, DateTime ResetsAt)
{
    public int? ImagesLeft => Quotas.ImagesPerDay is { } limit ? Math.Max(0, limit - ImagesToday) : null;

    public double? GpuSecondsLeft => Quotas.GpuSecondsPerDay is { } limit ? Math.Max(0, limit - GpuSecondsToday) : null;
}

/// <summary>
/// The daily quotas (images, GPU-seconds) checked at submission. It runs inside the submission's transaction, which
/// serialises one user's submissions (SQLite's write lock, PostgreSQL's per-user advisory lock: see
/// JobQueue.SubmitAsync), and counts the day's usage records and the jobs not ended yet, so parallel submissions on
/// any number of web nodes admit exactly the quota. A day is a UTC day (of the job's end); deleting history or the
/// account's images does not give images back (the records stay), while canceled and failed jobs do not count.
/// </summary>
public static class QuotaGate
{
    public static DateTime DayStart(DateTime now) => now.Date;

    public static DateTime NextReset(DateTime now) => now.Date.AddDays(1);

    public static async Task<QuotaUse> UseAsync(StudioDbContext db, string userId, Quotas quotas, DateTime now, CancellationToken cancellationToken)
    {
        var since = DayStart(now);
        // Jobs that ended today count from their usage records, which outlive History's deletes and the sweep (a
        // record's images are 0 for a failed or canceled job); jobs not ended yet count their whole batch, whenever
        // they were queued, since they end (and count) today. A job ends and gets its record in one transaction,
        // and the two sums are one statement, so a job is counted once.
        var ended = db.UsageRecords.AsNoTracking().Where(r => r.OwnerId == userId && r.FinishedAt >= since)
            .Select(r => new { r.Images, GpuMs = r.WorkerMs });
        var pending = db.Jobs.IgnoreQueryFilters().AsNoTracking()
            .Where(j => j.OwnerId == userId && j.Status != JobStatus.Succeeded && j.Status != JobStatus.Failed && j.Status != JobStatus.Canceled)
            .Select(j => new { Images = j.BatchSize, GpuMs = 0d });
        // Both daily sums in one query, and none when neither quota is set.
        var sums = quotas.ImagesPerDay is null && quotas.GpuSecondsPerDay is null ? null
            : await ended.Concat(pending).GroupBy(_ => 1).Select(g => new { Images = g.Sum(j => j.Images), GpuMs = g.Sum(j => j.GpuMs) }).FirstOrDefaultAsync(cancellationToken);
        var (images, gpuMs) = (sums?.Images ?? 0, sums?.GpuMs ?? 0);
        // A held job still waits its turn: it counts against the queued-jobs quota.
        var queued = await db.Jobs.CountAsync(j => j.OwnerId == userId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Held), cancellationToken);
        return new QuotaUse(images, gpuMs / 1000, queued, quotas, NextReset(now));
    }

    /// <summary>The first daily quota a job of <paramref name="images"/> images would pass, as a refusal; null when it fits.</summary>
    public static QuotaRefusal? Check(QuotaUse use, int images, DateTime now)
    {
        var wait = use.ResetsAt - now;
        var resets = $"it resets at 00:00 UTC, in {Span(wait)}";
        if (use.Quotas.ImagesPerDay is { } perDay && use.ImagesToday + images > perDay)
        {
            var left = Math.Max(0, perDay - use.ImagesToday);
            return Refused("images_per_day", $"daily image quota reached: {perDay} images a day, {left} left today; {resets}", wait);
        }

        if (use.Quotas.GpuSecondsPerDay is { } gpu && use.GpuSecondsToday >= gpu)
        {
            return Refused("gpu_seconds_per_day", $"daily GPU time quota reached: {gpu} GPU-seconds a day; {resets}", wait);
        }

        return null;
    }

    private static QuotaRefusal Refused(string field, string message, TimeSpan retryAfter) => new(field, message, retryAfter);

    public static string Span(TimeSpan wait) => wait.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)wait.TotalHours} h {wait.Minutes} min")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} min");
}
