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
    /// million. Ten times the size ratio leaves room for the caches, which hold the 1 kB input and its copies but not
    /// the 1 MB ones (up to 4.5 times slower per character, measured on a loaded 2-core machine), and the collector.</summary>
    public const double MaxRatio = 10 * Large / Small;

    public static double Ratio(Action<string> parse, Func<int, string> input)
    {
        var small = input(Small);
        var large = input(Large);
        // Warm-up: long enough for tiered compilation to replace the first, unoptimized code (and for the regex's DFA).
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 500)
        {
            parse(small);
        }

        parse(large);

        const int repetitions = 200;
        var perSmall = Best(5, () =>
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < repetitions; i++)
            {
                parse(small);
            }

            return clock.Elapsed.TotalMilliseconds;
        }) / repetitions;
        var perLarge = Best(5, () =>
        {
            // Each try starts with a clean heap: the collector's work left over from earlier tries is not charged to it.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var clock = Stopwatch.StartNew();
            parse(large);
            return clock.Elapsed.TotalMilliseconds;
        });
        return perLarge / perSmall;
    }

    private static double Best(int tries, Func<double> milliseconds)
    {
        var best = double.MaxValue;
        for (var i = 0; i < tries; i++)
        {
            best = Math.Min(best, milliseconds());
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
