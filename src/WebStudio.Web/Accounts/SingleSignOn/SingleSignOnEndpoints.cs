using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using WebStudio.Web.Options;

namespace WebStudio.Web.Accounts.SingleSignOn;

/// <summary>
/// The round trip to the OpenID Connect provider. It starts with a plain link (GET), because the pages' CSP
/// (form-action 'self') would stop a form post that redirects to the provider; the callback and correlation cookies
/// of the OpenID Connect handler protect the way back.
/// </summary>
public static class SingleSignOnEndpoints
{
    public const string StartPath = "/Account/ExternalLogin";
    public const string CallbackPath = "/Account/ExternalLogin/Callback";

    /// <summary>Maps the round trip when single sign-on is configured; without it the paths do not exist.</summary>
    public static IEndpointRouteBuilder MapSingleSignOn(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<SingleSignOnOptions>>().Value.Enabled)
        {
            return app;
        }

        app.MapGet(StartPath, (string? returnUrl) =>
        {
            var properties = new AuthenticationProperties { RedirectUri = $"{CallbackPath}?returnUrl={Uri.EscapeDataString(LocalOrHome(returnUrl))}" };
            return Results.Challenge(properties, [SingleSignOnOptions.Scheme]);
        }).AllowAnonymous();

        app.MapGet(CallbackPath, async (string? returnUrl, HttpContext context, [FromServices] ExternalSignIn signIn) =>
        {
            var result = await signIn.CompleteAsync(context);
            return result == ExternalSignInResult.SignedIn
                ? Results.LocalRedirect(LocalOrHome(returnUrl))
                : Results.LocalRedirect($"/Account/Login?sso={result}");
        }).AllowAnonymous();
        return app;
    }

    /// <summary>Only a path of this site: anything else (another host, "//host", "/\host") goes home.</summary>
    private static string LocalOrHome(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";
}
