using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Accounts;

/// <summary>
/// Dark or light, remembered per user as an Identity user claim (a row of AspNetUserClaims), so the preference needs
/// no schema change and follows the account to any browser. The layout reads it on every page load, before the first
/// paint, so a dark page never flashes light; it reads it without a query: sign-in puts the user's claims into the
/// cookie (Identity's claims factory), and a choice made since then on this node is kept here until the cookie's
/// principal is next rebuilt (sign-in, or the security stamp check that refreshes it).
/// </summary>
public sealed class ThemePreferences(IDbContextFactory<StudioDbContext> dbFactory)
{
    public const string ClaimType = "webstudio:theme";
    private const string Dark = "dark", Light = "light";

    // User id → the latest choice made on this node: newer than a cookie issued before it. One entry per user who has
    // toggled since start-up, a bool each.
    private readonly ConcurrentDictionary<string, bool> _chosen = new(StringComparer.Ordinal);

    /// <summary>The signed-in user's choice, from the claims the cookie carries; light for anyone else.</summary>
    public bool IsDark(ClaimsPrincipal user)
    {
        if (JobAccess.UserId(user) is not { } userId)
        {
            return false;
        }

        return _chosen.TryGetValue(userId, out var dark) ? dark : user.FindFirstValue(ClaimType) == Dark;
    }

    /// <summary>Replaces the user's choice (one claim per user, whatever was there before).</summary>
    public async Task SetDarkAsync(string userId, bool dark, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var earlier = await db.UserClaims.Where(c => c.UserId == userId && c.ClaimType == ClaimType).ToListAsync(cancellationToken);
        db.UserClaims.RemoveRange(earlier);
        db.UserClaims.Add(new IdentityUserClaim<string> { UserId = userId, ClaimType = ClaimType, ClaimValue = dark ? Dark : Light });
        await db.SaveChangesAsync(cancellationToken);
        _chosen[userId] = dark;
    }
}
