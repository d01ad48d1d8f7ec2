using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Studio.Queue;
using WebStudio.Web.Options;

namespace WebStudio.Web.Accounts.SingleSignOn;

/// <summary>
/// Finishes a sign-in through the OpenID Connect provider: finds the account linked to the provider's subject (or
/// creates and links it when allowed), sets its roles from the claim map, refuses a disabled account, and signs in
/// with the studio's own Identity cookie. The provider's short-lived external cookie is removed either way.
/// </summary>
public sealed class ExternalSignIn(
    SignInManager<StudioUser> signIn,
    UserManager<StudioUser> users,
    RoleManager<IdentityRole> roles,
    AccountBootstrap bootstrap,
    IOptions<SingleSignOnOptions> options,
    ILogger<ExternalSignIn> logger)
{
    public async Task<ExternalSignInResult> CompleteAsync(HttpContext context)
    {
        var external = await context.AuthenticateAsync(IdentityConstants.ExternalScheme);
        await context.SignOutAsync(IdentityConstants.ExternalScheme);
        if (!external.Succeeded || external.Principal.FindFirstValue("sub") is not { Length: > 0 } subject)
        {
            return ExternalSignInResult.Failed;
        }

        var identity = external.Principal;
        var settings = options.Value;
        var user = await users.FindByLoginAsync(SingleSignOnOptions.Scheme, subject);
        if (user is null)
        {
            if (!settings.AutoCreateAccounts)
            {
                return ExternalSignInResult.NoAccount;
            }

            var (created, refusal) = await CreateOrLinkAsync(identity, subject);
            if (created is null)
            {
                return refusal;
            }

            user = created;
        }

        if (await users.IsLockedOutAsync(user))
        {
            logger.LogInformation("A disabled account was refused single sign-on.");
            return ExternalSignInResult.Disabled;
        }

        await ApplyRoleMapAsync(user, identity);
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: SingleSignOnOptions.Scheme);
        return ExternalSignInResult.SignedIn;
    }

    private async Task<(StudioUser? User, ExternalSignInResult Refusal)> CreateOrLinkAsync(ClaimsPrincipal identity, string subject)
    {
        if (identity.FindFirstValue("email") is not { Length: > 0 } email)
        {
            return (null, ExternalSignInResult.NoEmail);
        }

        var login = new UserLoginInfo(SingleSignOnOptions.Scheme, subject, options.Value.DisplayName);
        if (await users.FindByEmailAsync(email) is { } existing)
        {
            // Linking by email alone would hand the account to whoever the provider lets claim that address.
            if (!string.Equals(identity.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase))
            {
                return (null, ExternalSignInResult.EmailTaken);
            }

            Succeeded(await users.AddLoginAsync(existing, login), "Linking the account");
            return (existing, ExternalSignInResult.SignedIn);
        }

        var user = new StudioUser { UserName = email, Email = email };
        Succeeded(await users.CreateAsync(user), "Creating the account");
        Succeeded(await users.AddLoginAsync(user, login), "Linking the account");
        await bootstrap.PromoteIfFirstAsync(user);
        logger.LogInformation("Single sign-on created an account.");
        return (user, ExternalSignInResult.SignedIn);
    }

    /// <summary>
    /// Gives the roles the claim map names for this sign-in and takes away the other mapped roles; roles the map does
    /// not name are left alone, and the last administrator keeps the role.
    /// </summary>
    private async Task ApplyRoleMapAsync(StudioUser user, ClaimsPrincipal identity)
    {
        var settings = options.Value;
        var values = ClaimValues(identity, settings.RoleClaim);
        var wanted = settings.RoleMap.Where(entry => values.Contains(entry.Key)).Select(entry => entry.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var managed = settings.RoleMap.Values.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(settings.DefaultRole))
        {
            managed.Add(settings.DefaultRole);
            if (wanted.Count == 0)
            {
                wanted.Add(settings.DefaultRole);
            }
        }

        foreach (var role in managed)
        {
            var has = await users.IsInRoleAsync(user, role);
            if (wanted.Contains(role) && !has)
            {
                if (!await roles.RoleExistsAsync(role))
                {
                    Succeeded(await roles.CreateAsync(new IdentityRole(role)), $"Creating the role {role}");
                }

                Succeeded(await users.AddToRoleAsync(user, role), $"Giving the role {role}");
            }
            else if (!wanted.Contains(role) && has)
            {
                if (string.Equals(role, JobAccess.AdminRole, StringComparison.OrdinalIgnoreCase) && (await users.GetUsersInRoleAsync(role)).Count <= 1)
                {
                    logger.LogWarning("Single sign-on would demote the last administrator; the account keeps the role.");
                    continue;
                }

                Succeeded(await users.RemoveFromRoleAsync(user, role), $"Taking the role {role}");
            }
        }
    }

    /// <summary>The claim's values, whether sent as one claim per value or as one JSON array.</summary>
    private static HashSet<string> ClaimValues(ClaimsPrincipal identity, string type)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in identity.FindAll(type))
        {
            if (claim.Value.StartsWith('['))
            {
                try
                {
                    values.UnionWith(JsonSerializer.Deserialize<string[]>(claim.Value) ?? []);
                    continue;
                }
                catch (JsonException)
                {
                    // Not an array after all: the value as it is.
                }
            }

            values.Add(claim.Value);
        }

        return values;
    }

    private static void Succeeded(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{what} failed: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
