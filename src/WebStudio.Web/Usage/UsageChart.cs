using System.Globalization;
using MudBlazor;
using WebStudio.Studio.Usage;

namespace WebStudio.Web.Usage;

/// <summary>
/// The usage page's stacked bars: worker time per period for the largest users or models, the rest together, in the
/// unit that suits the largest period (seconds, minutes or hours), so that a small team's seconds do not draw as
/// empty bars under an axis of minutes. At most about a dozen period labels are written, so that 28 or 365 of them
/// do not run into each other.
/// </summary>
public sealed record UsageChart(IReadOnlyList<ChartSeries<double>> Series, string[] Labels, string Unit)
{
    /// <summary>The axis: ticks at a round step that gives about five of them (the chart's default is a fixed 20).</summary>
    public StackedBarChartOptions Options { get; init; } = new();

    public const int Keys = 6;
    public const int MaxLabels = 12;

    public static UsageChart Of(UsageReport usage, IReadOnlyList<(string Key, UsageTotals Totals)> totalsByKey)
    {
        var periods = usage.Periods();
        var index = periods.Select((start, i) => (start, i)).ToDictionary(p => p.start, p => p.i);
        var top = totalsByKey.Take(Keys).Select(k => k.Key).ToList();
        var ms = top.Append("others").ToDictionary(k => k, _ => new double[periods.Count]);
        foreach (var row in usage.Rows)
        {
            ms[top.Contains(row.Key) ? row.Key : "others"][index[row.PeriodStart]] += row.Totals.WorkerMs;
        }

        var largest = Enumerable.Range(0, periods.Count).Select(i => ms.Values.Sum(v => v[i])).DefaultIfEmpty(0).Max();
        var (unit, perUnit) = largest switch
        {
            < 120_000 => ("seconds", 1_000.0),
            < 7_200_000 => ("minutes", 60_000.0),
            _ => ("hours", 3_600_000.0),
        };
        var series = ms.Where(d => d.Value.Any(v => v > 0))
            .Select(d => new ChartSeries<double> { Name = d.Key, Data = d.Value.Select(v => v / perUnit).ToArray() })
            .ToList();
        var every = (periods.Count + MaxLabels - 1) / MaxLabels;
        var labels = periods.Select((p, i) => i % Math.Max(1, every) == 0 ? p.ToString("MM-dd", CultureInfo.InvariantCulture) : "").ToArray();
        return new UsageChart(series, labels, unit) { Options = new StackedBarChartOptions { YAxisTicks = Tick(largest / perUnit), YAxisTitle = unit } };
    }

    /// <summary>1, 2 or 5 times a power of ten, at least a fifth of <paramref name="largest"/> and at least 1.</summary>
    public static int Tick(double largest)
    {
        for (var scale = 1; ; scale *= 10)
        {
            foreach (var step in (int[])[scale, 2 * scale, 5 * scale])
            {
                if (step * 5 >= largest)
                {
                    return step;
                }
            }
        }
    }
}
