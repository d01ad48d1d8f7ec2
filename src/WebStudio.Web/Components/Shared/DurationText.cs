using System.Globalization;

namespace WebStudio.Web.Components.Shared;

/// <summary>A duration as people read one: "9 h 18 min", "4 min 2 s", "45 s" (or "2.5 s" with tenths).</summary>
public static class DurationText
{
    public static string Of(TimeSpan duration, bool tenths = false)
    {
        var t = duration < TimeSpan.Zero ? TimeSpan.Zero : duration;
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes} min"
            : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min {t.Seconds} s"
            : t.TotalSeconds.ToString(tenths ? "0.0" : "0", CultureInfo.InvariantCulture) + " s";
    }
}
