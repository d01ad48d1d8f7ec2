using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Team;

namespace WebStudio.Studio.Usage;

/// <summary>
/// The administrator's usage report, read from the jobs themselves (the same record the API's usage fields come from).
/// The database groups the finished jobs by key and UTC day; weeks are summed from those day rows, which are few
/// (keys × days) however many jobs there are. Deleted history still counts: the work was done.
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
        var finished = db.Jobs.IgnoreQueryFilters().AsNoTracking()
            .Where(j => j.FinishedAt >= start && j.FinishedAt < end && j.StartedAt != null);
        var source = grouping == UsageGrouping.User
            ? finished.Select(j => new { Key = j.OwnerId, Day = j.FinishedAt!.Value.Date, j.Status, j.BatchSize, j.Steps, j.Width, j.Height, j.TotalMs })
            : finished.Select(j => new { Key = j.Model, Day = j.FinishedAt!.Value.Date, j.Status, j.BatchSize, j.Steps, j.Width, j.Height, j.TotalMs });
        var days = await source
            .GroupBy(j => new { j.Key, j.Day })
            .Select(g => new
            {
                g.Key.Key,
                g.Key.Day,
                Jobs = g.Count(),
                Images = g.Sum(j => j.Status == JobStatus.Succeeded ? (long)j.BatchSize : 0L),
                StepPixels = g.Sum(j => j.Status == JobStatus.Succeeded ? (long)j.Steps * j.Width * j.Height * j.BatchSize : 0L),
                WorkerMs = g.Sum(j => j.TotalMs ?? 0),
            })
            .ToListAsync(cancellationToken);

        var names = grouping == UsageGrouping.User ? await UserNamesAsync(db, days.Select(d => d.Key).Distinct().ToList(), cancellationToken) : null;
        var rows = days
            .GroupBy(d => (Start: PeriodStart(DateOnly.FromDateTime(d.Day), period), d.Key))
            .Select(g => new UsageRow(g.Key.Start, names?.GetValueOrDefault(g.Key.Key) ?? g.Key.Key,
                g.Aggregate(default(UsageTotals), (sum, d) => sum.Add(new UsageTotals(d.Jobs, d.Images, d.StepPixels, d.WorkerMs)))))
            .OrderByDescending(r => r.PeriodStart).ThenByDescending(r => r.Totals.WorkerMs).ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        return new UsageReport(from, to, period, grouping, rows);
    }

    /// <summary>The first day of <paramref name="day"/>'s period: the day itself, or the Monday of its week.</summary>
    public static DateOnly PeriodStart(DateOnly day, UsagePeriod period) =>
        period == UsagePeriod.Week ? day.AddDays(-(((int)day.DayOfWeek + 6) % 7)) : day;

    private static async Task<Dictionary<string, string>> UserNamesAsync(StudioDbContext db, List<string> ids, CancellationToken cancellationToken) =>
        await db.Accounts().AsNoTracking().Where(u => ids.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.UserName ?? u.Id, cancellationToken);
}
