using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Studio.Usage;

/// <summary>
/// The administrator's usage report, read from the usage records (one per job that ran, written at its end; the same
/// record the API's usage fields come from). The database groups them by key and UTC day (an index range on the finish
/// time); weeks are summed from those day rows, which are few (keys × days) however many jobs there are. Deleted
/// history and deleted accounts still count: the work was done.
/// </summary>
public sealed class UsageMetering(IDbContextFactory<StudioDbContext> dbFactory)
{
    /// <summary>The longest range one report covers.</summary>
    public const int MaxDays = 366;

    public async Task<UsageReport> GetAsync(DateOnly from, DateOnly to, UsagePeriod period, UsageGrouping grouping, CancellationToken cancellationToken = default)
    {
        if (to < from || to.DayNumber - from.DayNumber >= MaxDays)
        {
            throw new ArgumentException($"The range must run forwards and cover at most {MaxDays} days.");
        }

        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var finished = db.UsageRecords.AsNoTracking().Where(r => r.FinishedAt >= start && r.FinishedAt < end);
        var source = grouping == UsageGrouping.User
            ? finished.Select(r => new { Key = r.OwnerId, Name = r.UserName, Day = r.FinishedAt.Date, r.Images, r.StepPixels, r.WorkerMs })
            : finished.Select(r => new { Key = r.Model, Name = r.Model, Day = r.FinishedAt.Date, r.Images, r.StepPixels, r.WorkerMs });
        var days = await source
            .GroupBy(r => new { r.Key, r.Day })
            .Select(g => new
            {
                g.Key.Key,
                g.Key.Day,
                Name = g.Max(r => r.Name),
                Jobs = g.Count(),
                Images = g.Sum(r => (long)r.Images),
                StepPixels = g.Sum(r => r.StepPixels),
                WorkerMs = g.Sum(r => r.WorkerMs),
            })
            .ToListAsync(cancellationToken);

        // A user's rows carry the name copied when each job ended, so a deleted account's usage keeps its name.
        var names = days.GroupBy(d => d.Key).ToDictionary(g => g.Key, g => g.Max(d => d.Name) ?? g.Key, StringComparer.Ordinal);
        var rows = days
            .GroupBy(d => (Start: PeriodStart(DateOnly.FromDateTime(d.Day), period), d.Key))
            .Select(g => new UsageRow(g.Key.Start, names[g.Key.Key],
                g.Aggregate(default(UsageTotals), (sum, d) => sum.Add(new UsageTotals(d.Jobs, d.Images, d.StepPixels, d.WorkerMs)))))
            .OrderByDescending(r => r.PeriodStart).ThenByDescending(r => r.Totals.WorkerMs).ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        return new UsageReport(from, to, period, grouping, rows);
    }

    /// <summary>The denoising steps run for the images of <paramref name="jobIds"/> (steps × images, from their usage
    /// records: what the Images API reports as its output tokens).</summary>
    public async Task<int> StepsRunAsync(IReadOnlyCollection<Guid> jobIds, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.UsageRecords.Where(r => jobIds.Contains(r.JobId)).SumAsync(r => r.Steps * r.Images, cancellationToken);
    }

    /// <summary>The first day of <paramref name="day"/>'s period: the day itself, or the Monday of its week.</summary>
    public static DateOnly PeriodStart(DateOnly day, UsagePeriod period) =>
        period == UsagePeriod.Week ? day.AddDays(-(((int)day.DayOfWeek + 6) % 7)) : day;
}
