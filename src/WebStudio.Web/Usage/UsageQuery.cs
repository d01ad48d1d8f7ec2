using System.Globalization;
using WebStudio.Studio.Usage;

namespace WebStudio.Web.Usage;

/// <summary>
/// The usage page's and CSV export's query string: from and to (yyyy-MM-dd, UTC days, both included), period (day or
/// week) and group (user or model). Missing values take the defaults: the last 28 days, by day, by user.
/// </summary>
public sealed record UsageQuery(DateOnly From, DateOnly To, UsagePeriod Period, UsageGrouping Grouping)
{
    public const int DefaultDays = 28;

    /// <returns>The query, or null with <paramref name="error"/> saying which value is wrong.</returns>
    public static UsageQuery? Parse(string? from, string? to, string? period, string? group, DateOnly today, out string? error)
    {
        error = null;
        if (!TryDay(to, today, out var end) || !TryDay(from, end.AddDays(1 - DefaultDays), out var start))
        {
            error = "from and to must be dates written yyyy-MM-dd.";
            return null;
        }

        if (end < start || end.DayNumber - start.DayNumber >= UsageMetering.MaxDays)
        {
            error = $"from must not be after to, and the range may cover at most {UsageMetering.MaxDays} days.";
            return null;
        }

        if (!TryEnum(period, UsagePeriod.Day, out UsagePeriod p) || !TryEnum(group, UsageGrouping.User, out UsageGrouping g))
        {
            error = "period must be day or week, and group user or model.";
            return null;
        }

        return new UsageQuery(start, end, p, g);
    }

    /// <summary>This query's string, with <paramref name="change"/> applied (for the page's links and the export).</summary>
    public string QueryString(Func<UsageQuery, UsageQuery>? change = null)
    {
        var q = change?.Invoke(this) ?? this;
        return FormattableString.Invariant($"from={q.From:yyyy-MM-dd}&to={q.To:yyyy-MM-dd}&period={q.Period.ToString().ToLowerInvariant()}&group={q.Grouping.ToString().ToLowerInvariant()}");
    }

    private static bool TryDay(string? text, DateOnly fallback, out DateOnly day)
    {
        day = fallback;
        return string.IsNullOrEmpty(text) || DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    private static bool TryEnum<T>(string? text, T fallback, out T value) where T : struct, Enum
    {
        value = fallback;
        return string.IsNullOrEmpty(text) || (!int.TryParse(text, out _) && Enum.TryParse(text, ignoreCase: true, out value));
    }
}
