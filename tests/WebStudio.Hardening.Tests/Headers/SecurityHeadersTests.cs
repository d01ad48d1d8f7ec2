using System.Net;
using System.Text.RegularExpressions;
using WebStudio.Hardening.Tests.BadInputs;

namespace WebStudio.Hardening.Tests.Headers;

/// <summary>
/// Every kind of response carries the security headers: pages, the login page, share pages and their images, /api JSON
/// and images, /v1 JSON and errors, static files, not-found answers. Pages hold no inline script the policy forbids.
/// </summary>
[Trait("Capability", "Hardening")]
public sealed partial class SecurityHeadersTests(BadInputStudio studio) : IClassFixture<BadInputStudio>
{
    public static TheoryData<string, string> Responses => new()
    {
        { "page", "cookie GET /" },
        { "page of a gallery", "cookie GET /galleries/{gallery}" },
        { "login page", "anonymous GET /Account/Login" },
        { "page not found", "cookie GET /no/such/page" },
        { "api json", "cookie GET /api/history" },
        { "api image", "cookie GET /api/images/{image}" },
        { "api thumbnail", "cookie GET /api/images/{image}/thumb" },
        { "api problem", "cookie GET /api/jobs/not-a-job" },
        { "api refusal", "cookie GET /api/history?take=-1" },
        { "api without login", "anonymous GET /api/history" },
        { "v1 json", "key GET /v1/models" },
        { "v1 error", "anonymous GET /v1/models" },
        { "static asset", "anonymous GET /assets/css/studio.css" },
        { "framework script", "anonymous GET /_framework/blazor.web.js" },
        { "share page", "anonymous GET /s/{token}" },
        { "share image", "anonymous GET /s/{token}/images/{image}" },
        { "share page not found", "anonymous GET /s/no-such-token" },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Every_response_carries_the_security_headers(string kind, string request)
    {
        using var response = await SendAsync(request);

        Assert.True((int)response.StatusCode < 500, $"{kind}: {(int)response.StatusCode}");
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        var policy = Directives(Header(response, "Content-Security-Policy"));
        Assert.Equal("'self'", policy["script-src"]);
        Assert.Equal("'none'", policy["frame-ancestors"]);
        Assert.Equal("'none'", policy["object-src"]);
        Assert.Contains("'self'", policy["connect-src"]);
        Assert.DoesNotContain(policy.Values, v => v.Contains("unsafe-eval", StringComparison.Ordinal) || v.Contains('*'));
        var referrer = Header(response, "Referrer-Policy");
        Assert.Equal(request.Contains("/s/", StringComparison.Ordinal) ? "no-referrer" : "same-origin", referrer);
    }

    [Theory]
    [InlineData("cookie GET /")]
    [InlineData("cookie GET /history")]
    [InlineData("anonymous GET /Account/Login")]
    [InlineData("anonymous GET /s/{token}")]
    public async Task Pages_hold_no_inline_script_that_the_policy_would_block(string request)
    {
        using var response = await SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var scripts = ScriptTag().Matches(html).Select(m => m.Value).ToList();
        Assert.All(scripts, tag => Assert.Contains(" src=", tag, StringComparison.Ordinal));
        Assert.Empty(EventAttribute().Matches(html));
    }

    private async Task<HttpResponseMessage> SendAsync(string request)
    {
        var parts = request.Split(' ');
        var path = parts[2]
            .Replace("{gallery}", studio.GalleryId.ToString(), StringComparison.Ordinal)
            .Replace("{image}", studio.ImageId.ToString(), StringComparison.Ordinal)
            .Replace("{token}", studio.ShareToken, StringComparison.Ordinal);
        using var message = new HttpRequestMessage(new HttpMethod(parts[1]), path);
        if (parts[0] == "key")
        {
            message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", studio.Key);
        }

        return await studio.Client(parts[0] == "cookie" ? Caller.Cookie : Caller.Anonymous).SendAsync(message);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri}: no {name} header");

    private static Dictionary<string, string> Directives(string policy) =>
        policy.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");

    [GeneratedRegex("<script\\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex ScriptTag();

    // Inline event handlers (onclick="...") are inline script too.
    [GeneratedRegex("<[a-z][^>]*\\son[a-z]+\\s*=", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex EventAttribute();
}
