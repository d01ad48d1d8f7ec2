using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Team;

namespace WebStudio.Web.Api;

/// <summary>
/// The <see cref="ApiKeyAuthentication.Scheme"/> scheme: <c>Authorization: Bearer ws-...</c> makes the key's owner the
/// request's user, with the same claims (id, name, roles) as the studio's login cookie gives, so the ordinary
/// authorization policies apply. Refusals are written in OpenAI's error shape: 401 <c>missing_api_key</c> or
/// <c>invalid_api_key</c>, 403 <c>insufficient_permissions</c>.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyService keys, UserManager<StudioUser> users, IUserClaimsPrincipalFactory<StudioUser> principals, TeamPolicies policies)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string Bearer = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var userId = await keys.AuthenticateAsync(header[Bearer.Length..].Trim(), Context.RequestAborted);
        // A disabled (locked-out) account's keys are refused on their next request: the account is read on every one.
        if (userId is null || await users.FindByIdAsync(userId) is not { } user || await users.IsLockedOutAsync(user))
        {
            return AuthenticateResult.Fail("The API key is unknown or was revoked.");
        }

        // The cookie's principal, under this scheme's name, and whether the account's role may use the API.
        var cookiePrincipal = await principals.CreateAsync(user);
        var claims = cookiePrincipal.Claims.ToList();
        if ((await policies.ForUserAsync(userId, Context.RequestAborted)).CanUseApi)
        {
            claims.Add(new Claim(ApiKeyAuthentication.ApiUseClaim, "true"));
        }

        var identity = new ClaimsIdentity(claims, Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var error = result.None
            ? new ApiException(StatusCodes.Status401Unauthorized, "You didn't provide an API key. Send it in the Authorization header: 'Authorization: Bearer YOUR_KEY'. Keys are made on the API keys page of the studio.", null, "missing_api_key")
            : new ApiException(StatusCodes.Status401Unauthorized, "Incorrect API key provided: the key is unknown or was revoked.", null, "invalid_api_key");
        await OpenAIError.Result(Context, error).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        OpenAIError.Result(Context, new ApiException(StatusCodes.Status403Forbidden,
            "Your API key's account is not allowed to use this endpoint (its role may not use the API, or the endpoint is an administrator's).", null, "insufficient_permissions")).ExecuteAsync(Context);
}
