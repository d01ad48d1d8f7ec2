using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using WebStudio.Studio.Team;

namespace WebStudio.Web.Accounts;

/// <summary>
/// Every request with the login cookie: the account still exists, is not disabled, and its security stamp is the
/// cookie's (a role change or password reset renews the stamp). One primary-key read, so a disabled account's cookie
/// is refused on its very next request, on any node; Identity's own stamp validator (every 30 minutes) stays as is.
/// </summary>
public static class LiveAccountCheck
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        await SecurityStampValidator.ValidatePrincipalAsync(context);
        if (context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return;
        }

        var services = context.HttpContext.RequestServices;
        var stampClaim = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var live = await services.GetRequiredService<AccountStatus>().LiveStampAsync(userId, context.HttpContext.RequestAborted);
        if (live is null || live != (context.Principal.FindFirstValue(stampClaim) ?? ""))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }
}
