using System.Net;
using System.Text.RegularExpressions;

namespace WebStudio.Hardening.Tests.Authorization;

/// <summary>
/// What a probe was answered, reduced to what an attacker could tell apart: the status, the media type, where a
/// redirect points, and the body with the probed ids and per-request noise (trace ids, antiforgery tokens, Blazor's
/// per-render component markers) taken out. Pages compare as their visible text.
/// </summary>
public sealed partial record Answer(int Status, string MediaType, string Location, string Body)
{
    public static async Task<Answer> ReadAsync(HttpResponseMessage response, IEnumerable<string> ids)
    {
        var media = response.Content.Headers.ContentType?.MediaType ?? "";
        var body = await response.Content.ReadAsStringAsync();
        if (media == "text/html")
        {
            body = PageText(body);
        }
        else if (!media.Contains("json") && !media.StartsWith("text/", StringComparison.Ordinal))
        {
            body = $"{body.Length} bytes of {media}"; // images and other binaries: their size tells enough
        }

        var location = response.Headers.Location?.OriginalString ?? "";
        foreach (var id in ids.Where(i => i.Length > 0))
        {
            body = body.Replace(id, "{id}", StringComparison.OrdinalIgnoreCase);
            location = location.Replace(id, "{id}", StringComparison.OrdinalIgnoreCase).Replace(Uri.EscapeDataString(id), "{id}", StringComparison.OrdinalIgnoreCase);
        }

        body = TraceId().Replace(body, "\"traceId\":\"…\"");
        return new Answer((int)response.StatusCode, media, location, body);
    }

    public bool IsSuccess => Status is >= 200 and < 300;

    public bool IsLoginRedirect => Status == (int)HttpStatusCode.Redirect && Location.Contains("/Account/Login", StringComparison.Ordinal);

    public override string ToString() =>
        $"{Status} {MediaType}{(Location.Length > 0 ? " → " + Location : "")} {(Body.Length > 160 ? Body[..160] + "…" : Body)}";

    /// <summary>The text a reader sees: no scripts, styles, comments (Blazor's markers), tags or attributes.</summary>
    public static string PageText(string html)
    {
        var text = Invisible().Replace(html, " ");
        text = Tag().Replace(text, " ");
        return Space().Replace(WebUtility.HtmlDecode(text), " ").Trim();
    }

    [GeneratedRegex("\"traceId\":\"[^\"]*\"", RegexOptions.NonBacktracking)]
    private static partial Regex TraceId();

    [GeneratedRegex("<script.*?</script>|<style.*?</style>|<!--.*?-->", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Invisible();

    [GeneratedRegex("<[^>]*>", RegexOptions.NonBacktracking)]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+", RegexOptions.NonBacktracking)]
    private static partial Regex Space();
}
