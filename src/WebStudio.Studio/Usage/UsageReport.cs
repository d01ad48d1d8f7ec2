namespace WebStudio.Studio.Usage;

/// <summary>The length of one row's period: a UTC day, or an ISO week (Monday to Sunday).</summary>
public enum UsagePeriod
{
    Day,
    Week,
}

/// <summary>What a row totals: one user's jobs, or one model's.</summary>
public enum UsageGrouping
{
    User,
    Model,
}

/// <summary>
/// Totals of finished jobs: jobs (succeeded, failed or canceled after starting), images made, steps × pixels
/// (steps × width × height × images, of succeeded jobs) and worker time (the jobs' measured TotalMs).
/// </summary>
public readonly record struct UsageTotals(int Jobs, long Images, long StepPixels, double WorkerMs)
{
    public UsageTotals Add(UsageTotals other) =>
        new(Jobs + other.Jobs, Images + other.Images, StepPixels + other.StepPixels, WorkerMs + other.WorkerMs);
}

/// <summary>One user's or model's totals over one period; <see cref="Key"/> is the user's name or the model's.</summary>
public sealed record UsageRow(DateOnly PeriodStart, string Key, UsageTotals Totals);

/// <summary>The usage of the days <see cref="From"/> to <see cref="To"/> (UTC, both included), by period, newest first.</summary>
public sealed record UsageReport(DateOnly From, DateOnly To, UsagePeriod Period, UsageGrouping Grouping, IReadOnlyList<UsageRow> Rows)
{
    /// <summary>Each key's totals over the whole range, largest worker time first.</summary>
    public IReadOnlyList<(string Key, UsageTotals Totals)> ByKey() => Rows
        .GroupBy(r => r.Key)
        .Select(g => (g.Key, g.Aggregate(default(UsageTotals), (sum, r) => sum.Add(r.Totals))))
        .OrderByDescending(k => k.Item2.WorkerMs).ThenBy(k => k.Key, StringComparer.Ordinal)
        .ToList();

    /// <summary>The periods of the range, oldest first (the chart's axis).</summary>
    public IReadOnlyList<DateOnly> Periods()
    {
        var periods = new List<DateOnly>();
        for (var start = UsageMetering.PeriodStart(From, Period); start <= To; start = start.AddDays(Period == UsagePeriod.Week ? 7 : 1))
        {
            periods.Add(start);
        }

        return periods;
    }
}
