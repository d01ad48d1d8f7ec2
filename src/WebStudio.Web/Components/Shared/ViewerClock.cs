using System.Globalization;
using System.Text.RegularExpressions;

namespace WebStudio.Web.Components.Shared;

/// <summary>
/// The viewer's time zone, for the times pages write (History, galleries, the queue, the admin pages): the server's own
/// zone means nothing to a team spread over several. The browser names its zone in the <see cref="Cookie"/> cookie
/// (viewer-time-zone.js); App reads it and Routes hands it to this scoped service, in the prerender's scope and in the
/// circuit's, where Routes also asks the browser (a page prerendered before the cookie was set). Where no zone was
/// sent, or the server does not know it (no tzdata), times are UTC and say so.
/// </summary>
public sealed partial class ViewerClock
{
    public const string Cookie = "ws-tz";

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>Takes the zone the browser named, or UTC where it named none the server knows.</summary>
    public void Use(string? zoneId) =>
        Zone = zoneId is not null && ZoneName().IsMatch(zoneId) && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>A stored UTC time on the viewer's clock, in <paramref name="format"/>, with " UTC" after it while the
    /// zone is UTC.</summary>
    public string Text(DateTime utc, string format = "yyyy-MM-dd HH:mm")
    {
        var text = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone).ToString(format, CultureInfo.InvariantCulture);
        return Zone == TimeZoneInfo.Utc ? text + " UTC" : text;
    }

    // IANA names (Europe/Berlin, America/Argentina/Buenos_Aires, Etc/GMT+5, UTC): nothing the zone lookup could take
    // for a path outside the zone database.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_+\-]{0,30}(/[A-Za-z0-9_+\-]{1,30}){0,2}$", RegexOptions.NonBacktracking)]
    private static partial Regex ZoneName();
}
