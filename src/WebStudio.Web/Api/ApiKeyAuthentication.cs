using Microsoft.AspNetCore.Authentication;

namespace WebStudio.Web.Api;

/// <summary>
/// Bearer keys as an authentication scheme of their own. /v1 requires <see cref="Policy"/>, which authenticates with
/// this scheme only: the studio's login cookie is never consulted there, and keys are not accepted elsewhere.
/// </summary>
public static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";

    /// <summary>An authenticated user by API key; endpoints may add their own requirements (roles...) on top.</summary>
    public const string Policy = "ApiKey";

    /// <summary>Set by the handler when the key's account's role may use the API (TeamPolicy.CanUseApi).</summary>
    public const string ApiUseClaim = "webstudio:api";

    public static void AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(Scheme, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireClaim(ApiUseClaim));
    }
}
