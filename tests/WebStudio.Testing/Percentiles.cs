namespace WebStudio.Testing;

/// <summary>Percentiles of a sample, nearest rank, for the tests' and the benchmarks' latency figures (p99 of fewer than 100 samples is close to the maximum: say how many).</summary>
public static class Percentiles
{
    public static double Of(IReadOnlyCollection<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>The middle value, or the mean of the two middle ones for an even count (NaN for none).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>"p50 X ms, p99 Y ms, max Z ms (n samples)".</summary>
    public static string Describe(IReadOnlyCollection<double> ms, string format = "0.0") => ms.Count == 0
        ? "no sample"
        : $"p50 {Of(ms, 50).ToString(format)} ms, p99 {Of(ms, 99).ToString(format)} ms, max {ms.Max().ToString(format)} ms ({ms.Count} samples)";
}
