using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Studio.Team;

/// <summary>
/// The one place that says what a user may do: their role (Admin, else Viewer, else Member, which an account in no
/// role is), that role's stored permissions and quotas, and the user's quota override. Read fresh from the database
/// on every check, so an administrator's change holds on the next request, on every node.
/// </summary>
public sealed class TeamPolicies(IDbContextFactory<StudioDbContext> dbFactory, TimeProvider time)
{
    public async Task<TeamPolicy> ForUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ForUserAsync(db, userId, cancellationToken);
    }

    /// <summary>Inside a caller's transaction (the submission's), so the decision and the write see one state.</summary>
    public static async Task<TeamPolicy> ForUserAsync(StudioDbContext db, string userId, CancellationToken cancellationToken)
    {
        var role = EffectiveRole(await RolesOfAsync(db, userId, cancellationToken));
        var permissions = await db.RolePolicies.AsNoTracking().FirstOrDefaultAsync(p => p.Role == role, cancellationToken)
            ?? new RolePolicy { Role = role, CanGenerate = role != StudioRoles.Viewer };
        var quota = await db.UserQuotas.AsNoTracking().FirstOrDefaultAsync(q => q.UserId == userId, cancellationToken);
        return new TeamPolicy(role, permissions, Quotas.Of(permissions, quota));
    }

    /// <summary>The user's policy and what they have used of their quotas today.</summary>
    public async Task<(TeamPolicy Policy, QuotaUse Use)> UseAsync(string userId, CancellationToken cancellationToken = default)
    {
        var policy = await ForUserAsync(userId, cancellationToken);
        return (policy, await UseAsync(userId, policy.Quotas, cancellationToken));
    }

    /// <summary>What the user has used today of <paramref name="quotas"/>, their policy's (the Generate page's "left"
    /// line; the page has read the policy already).</summary>
    public async Task<QuotaUse> UseAsync(string userId, Quotas quotas, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await QuotaGate.UseAsync(db, userId, quotas, time.GetUtcNow().UtcDateTime, cancellationToken);
    }

    public static Task<List<string>> RolesOfAsync(StudioDbContext db, string userId, CancellationToken cancellationToken) =>
        (from link in db.RoleLinks()
         join role in db.RoleRows() on link.RoleId equals role.Id
         where link.UserId == userId
         select role.Name!).ToListAsync(cancellationToken);

    /// <summary>The strongest claim wins for the administrator, the most restrictive otherwise; no role is Member.</summary>
    public static string EffectiveRole(IReadOnlyCollection<string> roles) =>
        roles.Contains(StudioRoles.Admin) ? StudioRoles.Admin
        : roles.Contains(StudioRoles.Viewer) ? StudioRoles.Viewer
        : StudioRoles.Member;

    public async Task<IReadOnlyList<RolePolicy>> RolePoliciesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.RolePolicies.AsNoTracking().ToListAsync(cancellationToken);
        return StudioRoles.All.Select(r => stored.FirstOrDefault(p => p.Role == r) ?? new RolePolicy { Role = r }).ToList();
    }

    public async Task<UserQuota?> UserQuotaAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.UserQuotas.AsNoTracking().FirstOrDefaultAsync(q => q.UserId == userId, cancellationToken);
    }
}
