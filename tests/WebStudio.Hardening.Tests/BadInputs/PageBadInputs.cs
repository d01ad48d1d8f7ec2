namespace WebStudio.Hardening.Tests.BadInputs;

/// <summary>Share pages (no login) and the studio's pages and static files, given tokens and paths that are not theirs.</summary>
public static class PageBadInputs
{
    public static IEnumerable<BadInput> All()
    {
        var cases = new List<BadInput>();
        foreach (var token in new[] { new string('A', 43), "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "..%5C..%5Cstudio.db", "%F0%9F%92%A9", "'%20OR%201=1--", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", new string('t', 2_000) })
        {
            cases.Add(new HttpBadInput($"share page token {Short(token)}", Caller.Anonymous, _ => Get("/s/" + token), 404, "Not found"));
            cases.Add(new HttpBadInput($"share image token {Short(token)}", Caller.Anonymous, _ => Get($"/s/{token}/images/{Guid.NewGuid()}"), 404, "Not found"));
        }

        cases.Add(new HttpBadInput("share page 10 kB token", Caller.Anonymous, _ => Get("/s/" + new string('t', 10_000)), 414, "URI Too Long"));
        cases.Add(new HttpBadInput("share image of another image", Caller.Anonymous, s => Get($"/s/{s.ShareToken}/images/{Guid.NewGuid()}"), 404, "Not found"));
        cases.Add(new HttpBadInput("share image id not a guid", Caller.Cookie, s => Get($"/s/{s.ShareToken}/images/..%2F..%2Fstudio.db"), 404, "Not found"));
        cases.Add(new HttpBadInput("share image download=maybe", Caller.Anonymous, s => Get($"/s/{s.ShareToken}/images/{s.ImageId}?download=maybe"), 400, "download"));

        // The studio's not-found page itself (its sentence, not only the status's reason phrase), as a browser shows it.
        foreach (var path in new[] { "/..%2F..%2Fetc%2Fpasswd", "/assets/..%2F..%2Fappsettings.json", "/assets/%2e%2e%2f%2e%2e%2fstudio.db", "/_framework/..%2F..%2Fappsettings.json", "/galleries/not-a-guid", "/galleries/..%2F..%2Fetc", "/no/such/page" })
        {
            cases.Add(new HttpBadInput($"page {path}", Caller.Cookie, _ => Get(path), 404, NotFoundPage));
        }

        // Another method keeps its 404: the page answers only a GET.
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete })
        {
            cases.Add(new HttpBadInput($"page {method} /no/such/page", Caller.Cookie, _ => new(method, "/no/such/page"), 404, "Not found"));
        }

        cases.Add(new HttpBadInput("share page token with a NUL", Caller.Anonymous, _ => Get("/s/a%00b"), 400, "Bad Request"));
        cases.Add(new HttpBadInput("page with a NUL", Caller.Cookie, _ => Get("/history%00.png"), 400, "Bad Request"));
        cases.Add(new HttpBadInput("page with a 10 kB query", Caller.Cookie, _ => Get("/history?q=" + new string('q', 10_000)), 414, "URI Too Long"));
        return cases;
    }

    /// <summary>The sentence of the studio's not-found page.</summary>
    public const string NotFoundPage = "There is nothing at this address.";

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static string Short(string text) => text.Length <= 40 ? text : $"{text[..8]}… ({text.Length} chars)";
}
