using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Web.Accounts;

/// <summary>
/// Dark or light, remembered per user as an Identity user claim (a row of AspNetUserClaims), so the preference needs
/// no schema change and follows the account to any browser. The layout reads it on every page load, before the first
/// paint, so a dark page never flashes light.
/// </summary>
public sealed class ThemePreferences(IDbContextFactory<StudioDbContext> dbFactory)
{
    public const string ClaimType = "webstudio:theme";
    private const string Dark = "dark", Light = "light";

    public async Task<bool> IsDarkAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.UserClaims.AsNoTracking()
            .AnyAsync(c => c.UserId == userId && c.ClaimType == ClaimType && c.ClaimValue == Dark, cancellationToken);
    }

    /// <summary>Replaces the user's choice (one claim per user, whatever was there before).</summary>
    public async Task SetDarkAsync(string userId, bool dark, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var earlier = await db.UserClaims.Where(c => c.UserId == userId && c.ClaimType == ClaimType).ToListAsync(cancellationToken);
        db.UserClaims.RemoveRange(earlier);
        db.UserClaims.Add(new IdentityUserClaim<string> { UserId = userId, ClaimType = ClaimType, ClaimValue = dark ? Dark : Light });
        await db.SaveChangesAsync(cancellationToken);
    }
}
