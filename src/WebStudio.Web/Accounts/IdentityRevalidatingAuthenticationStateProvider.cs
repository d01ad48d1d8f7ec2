using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Studio.Team;

namespace WebStudio.Web.Accounts;

// Revalidates the connected user's security stamp (and that the account is not disabled) every few seconds while a
// circuit is connected, and at once when this node disables, deletes or re-roles the account (AccountStatus.Changed):
// the circuit's user becomes anonymous and its pages send it to the login form.
public sealed class IdentityRevalidatingAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly IServiceScopeFactory scopeFactory;
    private readonly IOptions<IdentityOptions> options;
    private readonly AccountStatus status;

    public IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory, IOptions<IdentityOptions> options, AccountStatus status)
        : base(loggerFactory)
    {
        this.scopeFactory = scopeFactory;
        this.options = options;
        this.status = status;
        status.Changed += OnAccountChanged;
    }

    /// <summary>Other nodes' changes reach a circuit within this time.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override TimeSpan RevalidationInterval => Interval;

    private async void OnAccountChanged(string userId)
    {
        try
        {
            var state = await GetAuthenticationStateAsync();
            if (state.User.FindFirstValue(ClaimTypes.NameIdentifier) == userId && !await ValidateAuthenticationStateAsync(state, CancellationToken.None))
            {
                NotifyAuthenticationStateChanged(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
            }
        }
        catch (Exception)
        {
            // The next revalidation decides instead; an event handler must not throw.
        }
    }

    protected override void Dispose(bool disposing)
    {
        status.Changed -= OnAccountChanged;
        base.Dispose(disposing);
    }

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        // Get the user manager from a new scope to ensure it fetches fresh data
        await using var scope = scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
        return await ValidateSecurityStampAsync(userManager, authenticationState.User);
    }

    private async Task<bool> ValidateSecurityStampAsync(UserManager<StudioUser> userManager, ClaimsPrincipal principal)
    {
        var user = await userManager.GetUserAsync(principal);
        if (user is null || await userManager.IsLockedOutAsync(user))
        {
            return false;
        }
        else if (!userManager.SupportsUserSecurityStamp)
        {
            return true;
        }
        else
        {
            var principalStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
            var userStamp = await userManager.GetSecurityStampAsync(user);
            return principalStamp == userStamp;
        }
    }
}
