using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;
namespace WebStudio.Web.Api;

/// <summary>
/// Bearer-key check for /v1: an endpoint filter rather than an authentication scheme, so that a missing, bad or
/// revoked key is answered in OpenAI's error shape and the studio's cookie login is never consulted.
/// </summary>
public static class ApiCaller
{
    private const string UserKey = "WebStudio.Api.UserId";

    /// <summary>The authenticated caller's user id (set by <see cref="RequireApiKey"/>).</summary>
    public static string UserId(HttpContext context) => (string)context.Items[UserKey]!;

    public static RouteGroupBuilder RequireApiKey(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var header = context.Request.Headers.Authorization.ToString();
            const string bearer = "Bearer ";
            if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
            {
                return Unauthorized(context, "You didn't provide an API key. Send it in the Authorization header: 'Authorization: Bearer YOUR_KEY'. Keys are made on the API keys page of the studio.", "missing_api_key");
            }

            var keys = context.RequestServices.GetRequiredService<ApiKeyService>();
            var userId = await keys.AuthenticateAsync(header[bearer.Length..].Trim(), context.RequestAborted);
            if (userId is null)
            {
                return Unauthorized(context, "Incorrect API key provided: the key is unknown or was revoked.", "invalid_api_key");
            }

            context.Items[UserKey] = userId;
            return await next(invocation);
        });

    private static IResult Unauthorized(HttpContext context, string message, string code) =>
        OpenAIError.Result(context, new ApiException(StatusCodes.Status401Unauthorized, message, null, code));
}
