using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Studio.Team;

/// <summary>
/// Whether an account may still act: one primary-key read of its security stamp and lockout, made on every cookie
/// request (an API key's account is read whole, lockout included, by its handler), so a disabled account is refused on its next request on any node. Disabling also
/// raises <see cref="Changed"/>, which ends this node's open circuits of the account at once; other nodes' circuits
/// end at their next revalidation.
/// </summary>
public sealed class AccountStatus(IDbContextFactory<StudioDbContext> dbFactory, TimeProvider time)
{
    /// <summary>The user id whose account was disabled, deleted or changed role.</summary>
    public event Action<string>? Changed;

    public void Raise(string userId) => Changed?.Invoke(userId);

    /// <summary>The account's current security stamp, or null when it does not exist or is disabled.</summary>
    public async Task<string?> LiveStampAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Accounts().AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.LockoutEnd }).FirstOrDefaultAsync(cancellationToken);
        if (row is null || (row.LockoutEnd is { } end && end > time.GetUtcNow()))
        {
            return null;
        }

        return row.SecurityStamp ?? "";
    }

    public async Task<bool> IsActiveAsync(string userId, CancellationToken cancellationToken = default) =>
        await LiveStampAsync(userId, cancellationToken) is not null;
}
