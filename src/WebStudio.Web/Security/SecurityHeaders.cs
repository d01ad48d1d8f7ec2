namespace WebStudio.Web.Security;

/// <summary>
/// The security headers of every response, set as it starts so that error pages, status pages and static files get
/// them too. Share pages keep the stricter Referrer-Policy their endpoint sets.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// What Blazor Server and MudBlazor need and no more: scripts from this origin only (no inline script, no eval);
    /// inline styles, because MudBlazor writes style elements and attributes; images from this origin, data: (the
    /// empty favicon) and blob: (the live previews); the circuit's WebSocket, which 'self' covers. Nothing may frame a
    /// page, embed plugins, rebase URLs or post forms elsewhere.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Studio URLs carry ids, not secrets, yet nothing needs them to reach another site; same-origin requests
    /// keep the full referrer (and a normal Origin header on form posts).</summary>
    public const string ReferrerPolicy = "same-origin";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var response = context.Response;
        response.OnStarting(() =>
        {
            var headers = response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            if (!headers.ContainsKey("Referrer-Policy"))
            {
                headers["Referrer-Policy"] = ReferrerPolicy;
            }

            return Task.CompletedTask;
        });
        return next(context);
    });
}
