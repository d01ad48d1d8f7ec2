using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Studio.Team;

/// <summary>
/// One-time registration links for when registration is closed: a random token, stored only as its hash, good for
/// <see cref="Lifetime"/> and for one account. Redeeming marks it used in the same conditional update that checks
/// it, so two registrations racing on one link cannot both pass.
/// </summary>
public sealed class Invitations(IDbContextFactory<StudioDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <returns>The token for the link (shown once).</returns>
    public async Task<string> CreateAsync(Actor actor, string role, CancellationToken cancellationToken = default)
    {
        if (!StudioRoles.All.Contains(role))
        {
            throw new ArgumentException($"'{role}' is not a role: use {string.Join(", ", StudioRoles.All)}");
        }

        var token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Invitations.Add(new Invitation { TokenHash = Hash(token), Role = role, CreatedById = actor.Id, CreatedAt = now, ExpiresAt = now + Lifetime });
        audit.Add(db, actor, AuditActions.Invited, StudioRoles.DisplayName(role), $"link valid until {now + Lifetime:yyyy-MM-dd HH:mm} UTC");
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>Whether <paramref name="token"/> is an unused, unexpired invitation (the registration form's check).</summary>
    public async Task<Invitation?> FindAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var hash = Hash(token);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Invitations.AsNoTracking().FirstOrDefaultAsync(i => i.TokenHash == hash && i.UsedAt == null && i.ExpiresAt > now, cancellationToken);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    /// <summary>Marks the invitation used by <paramref name="userId"/>; false when it was used (or expired) meanwhile.</summary>
    public async Task<bool> RedeemAsync(Guid invitationId, string userId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Invitations.Where(i => i.Id == invitationId && i.UsedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now).SetProperty(i => i.UsedByUserId, userId), cancellationToken) == 1;
    }
}
