using WebStudio.Studio.Usage;
using WebStudio.Web.Usage;

namespace WebStudio.Web.Tests.Usage;

/// <summary>The usage page's chart: a unit that suits the largest period, round ticks, and labels that fit.</summary>
[Trait("Capability", "TeamAdmin")]
public sealed class UsageChartTests
{
    private static readonly DateOnly From = new(2026, 11, 1);

    [Theory]
    [InlineData(1_200, "seconds", 1.2)]
    [InlineData(90_000, "seconds", 90)]
    [InlineData(600_000, "minutes", 10)]
    [InlineData(36_000_000, "hours", 10)]
    public void The_bars_are_drawn_in_the_unit_that_suits_the_largest_period(double workerMs, string unit, double drawn)
    {
        var chart = UsageChart.Of(Report(days: 7, ("alice", From.AddDays(2), workerMs)), [("alice", Totals(workerMs))]);

        Assert.Equal(unit, chart.Unit);
        Assert.Equal(unit, chart.Options.YAxisTitle);
        Assert.Equal(drawn, chart.Series.Single().Data.Values[2], 6);
        Assert.Equal(0, chart.Series.Single().Data.Values[0]);
    }

    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(1.2, 1)]
    [InlineData(9, 2)]
    [InlineData(24, 5)]
    [InlineData(90, 20)]
    [InlineData(250, 50)]
    [InlineData(1_100, 500)]
    public void The_ticks_are_round_and_about_five(double largest, int tick) => Assert.Equal(tick, UsageChart.Tick(largest));

    [Fact]
    public void A_long_range_writes_about_a_dozen_labels_and_the_rest_stay_blank()
    {
        var chart = UsageChart.Of(Report(days: 91, ("alice", From, 1_000)), [("alice", Totals(1_000))]);

        Assert.Equal(91, chart.Labels.Length);
        Assert.InRange(chart.Labels.Count(l => l.Length > 0), 10, UsageChart.MaxLabels);
        Assert.Equal("11-01", chart.Labels[0]);
    }

    [Fact]
    public void The_largest_keys_get_a_series_each_and_the_rest_share_one()
    {
        var users = Enumerable.Range(1, UsageChart.Keys + 2).Select(i => ($"user{i}", From, 1_000.0 * i)).ToArray();
        var totals = users.OrderByDescending(u => u.Item3).Select(u => (u.Item1, Totals(u.Item3))).ToList();

        var chart = UsageChart.Of(Report(days: 1, users), totals);

        Assert.Equal([.. totals.Take(UsageChart.Keys).Select(t => t.Item1), "others"], chart.Series.Select(s => s.Name));
        Assert.Equal(1 + 2, chart.Series[^1].Data.Values[0], 6); // user1's and user2's seconds
    }

    private static UsageTotals Totals(double workerMs) => new(1, 1, 4_096, workerMs);

    private static UsageReport Report(int days, params (string Key, DateOnly Day, double WorkerMs)[] rows) =>
        new(From, From.AddDays(days - 1), UsagePeriod.Day, UsageGrouping.User, [.. rows.Select(r => new UsageRow(r.Day, r.Key, Totals(r.WorkerMs)))]);
}
