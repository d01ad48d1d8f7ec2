using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Web.Options;

namespace WebStudio.Web.Accounts;

/// <summary>
/// The login form's password sign-in, throttled by <see cref="LoginThrottle"/> and answering alike — one outcome and
/// one password hash's work — whether the account does not exist, the password is wrong or the account is locked,
/// so that neither the answer nor its timing tells which accounts exist. Identity's lockout on failures is not used:
/// it let anyone lock anyone out; the throttle's per-client backoff takes its place. With single sign-on and local
/// accounts off, every password is refused.
/// </summary>
public sealed class PasswordLogin(SignInManager<StudioUser> signIn, UserManager<StudioUser> users, LoginThrottle throttle, IOptions<SingleSignOnOptions> singleSignOn)
{
    public async Task<LoginOutcome> SignInAsync(IPAddress? client, string email, string password, bool remember)
    {
        if (!singleSignOn.Value.LocalAccountsAllowed)
        {
            return new LoginOutcome(LoginResult.Refused);
        }

        var account = users.NormalizeName(email);
        if (throttle.TryBegin(client, account) is { } wait)
        {
            return new LoginOutcome(LoginResult.Throttled, wait);
        }

        var user = await users.FindByNameAsync(email);
        if (user is null)
        {
            SpendAPasswordCheck(password);
            return new LoginOutcome(LoginResult.Refused);
        }

        var result = await signIn.PasswordSignInAsync(user, password, remember, lockoutOnFailure: false);
        if (result.Succeeded)
        {
            throttle.Succeeded(client, account);
            return new LoginOutcome(LoginResult.SignedIn);
        }

        if (result.IsLockedOut || result.IsNotAllowed)
        {
            SpendAPasswordCheck(password); // refused before the password was checked
        }

        return new LoginOutcome(LoginResult.Refused);
    }

    // Hashing costs what verifying a stored hash costs (the same key derivation, the same iterations).
    private void SpendAPasswordCheck(string password) => users.PasswordHasher.HashPassword(new StudioUser(), password);
}
