using WebStudio.Studio.Queue;

namespace WebStudio.Web.Api;

/// <summary>The caller of a /v1 endpoint, authenticated by <see cref="ApiKeyAuthenticationHandler"/>.</summary>
public static class ApiCaller
{
    /// <summary>The caller's user id: the same id a cookie login gives, so rate limits and quotas count the same user.</summary>
    public static string UserId(HttpContext context) =>
        JobAccess.UserId(context.User) ?? throw new InvalidOperationException("A /v1 endpoint ran without an authenticated API key.");
}
