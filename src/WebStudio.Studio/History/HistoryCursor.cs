using System.Globalization;

namespace WebStudio.Studio.History;

/// <summary>
/// The keyset position after the last item shown: its creation time and id. Continuing from it reads the index
/// from that point on, so the 200th page costs what the first does (OFFSET would scan every skipped row).
/// </summary>
public readonly record struct HistoryCursor(DateTime CreatedAt, Guid Id)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{CreatedAt.Ticks}_{Id:N}");

    public static bool TryParse(string? text, out HistoryCursor cursor)
    {
        cursor = default;
        var parts = text?.Split('_');
        if (parts is not { Length: 2 }
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks
            || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            return false;
        }

        cursor = new HistoryCursor(new DateTime(ticks, DateTimeKind.Utc), id);
        return true;
    }
}
