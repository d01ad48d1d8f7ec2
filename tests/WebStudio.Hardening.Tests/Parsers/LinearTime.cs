using System.Diagnostics;

namespace WebStudio.Hardening.Tests.Parsers;

/// <summary>
/// Growth of a parser's time, as a ratio measured in one run: t(large) / t(small), each the best of several tries
/// (the least disturbed by the other work of a loaded machine), the small input repeated until it is measurable.
/// </summary>
public static class LinearTime
{
    public const int Small = 1024;
    public const int Large = 1024 * 1024;

    /// <summary>Linear growth is about 1024 (less where a call's fixed cost shows at 1 kB); quadratic would be about a
    /// million. 3000 leaves room for caches and the collector on large strings, and still fails n log n.</summary>
    public const double MaxRatio = 3000;

    public static double Ratio(Action<string> parse, Func<int, string> input)
    {
        var small = input(Small);
        var large = input(Large);
        parse(small);
        parse(large); // warm-up: JIT, the regex's DFA, the pools

        const int repetitions = 200;
        var perSmall = Best(5, () =>
        {
            for (var i = 0; i < repetitions; i++)
            {
                parse(small);
            }
        }) / repetitions;
        var perLarge = Best(3, () => parse(large));
        return perLarge / perSmall;
    }

    private static double Best(int tries, Action action)
    {
        var best = double.MaxValue;
        for (var i = 0; i < tries; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
        }

        return best;
    }

    /// <summary><paramref name="unit"/> repeated to exactly <paramref name="length"/> characters.</summary>
    public static string Repeat(string unit, int length)
    {
        var text = new System.Text.StringBuilder(length + unit.Length);
        while (text.Length < length)
        {
            text.Append(unit);
        }

        return text.ToString(0, length);
    }
}
