using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Team;

namespace WebStudio.Studio.Admin;

/// <summary>
/// The administrator's user management: the list, roles, disabling, deletion, quota overrides and role permissions,
/// each change written with its audit entry in one transaction. The last active administrator can never be
/// demoted, disabled or deleted: the check and the change share a transaction under <see cref="AdminLock"/>.
/// </summary>
public sealed class UserAdministration(
    IDbContextFactory<StudioDbContext> dbFactory, JobQueue queue, AccountStatus status, AuditLog audit, TimeProvider time)
{
    public const string DisabledReason = "canceled: the account was disabled by an administrator";

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Accounts().AsNoTracking()
            .Select(u => new { u.Id, Name = u.Email ?? u.UserName ?? u.Id, u.LockoutEnd, u.CreatedAt }).ToListAsync(cancellationToken);
        var roles = (await (from link in db.RoleLinks() join role in db.RoleRows() on link.RoleId equals role.Id select new { link.UserId, role.Name })
                .ToListAsync(cancellationToken))
            .GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => TeamPolicies.EffectiveRole(g.Select(r => r.Name!).ToList()));
        var images = await db.Images.GroupBy(i => i.OwnerId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var jobs = await db.Jobs.GroupBy(j => j.OwnerId)
            .Select(g => new { g.Key, Last = g.Max(j => (DateTime?)j.CreatedAt) })
            .ToDictionaryAsync(g => g.Key, cancellationToken);
        // GPU time from the usage records: deleted history still took it.
        var gpuMs = await db.UsageRecords.GroupBy(r => r.OwnerId).Select(g => new { g.Key, Ms = g.Sum(r => r.WorkerMs) })
            .ToDictionaryAsync(g => g.Key, g => g.Ms, cancellationToken);
        var overrides = await db.UserQuotas.AsNoTracking()
            .Where(q => q.ImagesPerDay != null || q.GpuSecondsPerDay != null || q.MaxQueued != null || q.SubmissionsPerMinute != null)
            .ToDictionaryAsync(q => q.UserId, q => new Quotas(q.ImagesPerDay, q.GpuSecondsPerDay, q.MaxQueued, q.SubmissionsPerMinute), cancellationToken);
        var keys = await db.ApiKeys.Where(k => k.LastUsedAt != null).GroupBy(k => k.OwnerId)
            .Select(g => new { g.Key, Last = g.Max(k => k.LastUsedAt) }).ToDictionaryAsync(g => g.Key, g => g.Last, cancellationToken);
        var now = time.GetUtcNow();
        return users.Select(u =>
        {
            jobs.TryGetValue(u.Id, out var work);
            keys.TryGetValue(u.Id, out var keyUse);
            DateTime? last = work?.Last is { } a && (keyUse is null || a >= keyUse) ? a : keyUse;
            return new UserSummary(u.Id, u.Name, roles.GetValueOrDefault(u.Id, StudioRoles.Member), u.LockoutEnd > now,
                images.GetValueOrDefault(u.Id), gpuMs.GetValueOrDefault(u.Id) / 1000, u.CreatedAt, last, overrides.GetValueOrDefault(u.Id));
        }).OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<AdminOutcome> SetRoleAsync(Actor actor, string userId, string role, CancellationToken cancellationToken = default)
    {
        if (!StudioRoles.All.Contains(role))
        {
            return AdminOutcome.Refused($"'{role}' is not a role: use {string.Join(", ", StudioRoles.All)}");
        }

        return await ChangeAsync(actor, userId, losesAdmin: role != StudioRoles.Admin, async (db, user, ct) =>
        {
            var before = TeamPolicies.EffectiveRole(await TeamPolicies.RolesOfAsync(db, userId, ct));
            var roleId = await RoleIdAsync(db, role, ct);
            await db.RoleLinks().Where(r => r.UserId == userId).ExecuteDeleteAsync(ct);
            db.RoleLinks().Add(new IdentityUserRole<string> { UserId = userId, RoleId = roleId });
            // A new stamp: the account's cookies carry the old role, so they are refused and it signs in again.
            NewStamp(user);
            audit.Add(db, actor, AuditActions.RoleChanged, user.Email ?? user.Id, $"{StudioRoles.DisplayName(before)} → {StudioRoles.DisplayName(role)}");
        }, cancellationToken);
    }

    public async Task<AdminOutcome> SetDisabledAsync(Actor actor, string userId, bool disabled, CancellationToken cancellationToken = default)
    {
        var outcome = await ChangeAsync(actor, userId, losesAdmin: disabled, (db, user, _) =>
        {
            user.LockoutEnabled = true;
            user.LockoutEnd = disabled ? StudioUser.DisabledUntil : null;
            NewStamp(user);
            audit.Add(db, actor, disabled ? AuditActions.Disabled : AuditActions.Enabled, user.Email ?? user.Id);
            return Task.CompletedTask;
        }, cancellationToken);
        if (outcome.Done && disabled)
        {
            await CancelJobsAsync(actor, userId, DisabledReason, cancellationToken);
        }

        return outcome;
    }

    /// <summary>Deletes the account. Its images are deleted with it, or kept: moved, with their jobs, to the
    /// administrator who deletes it (their galleries, Refine threads, prompt styles, share links and keys go with the account).</summary>
    public async Task<AdminOutcome> DeleteAsync(Actor actor, string userId, bool keepImages, CancellationToken cancellationToken = default)
    {
        if (userId == actor.Id)
        {
            return AdminOutcome.Refused("an administrator cannot delete their own account here");
        }

        await CancelJobsAsync(actor, userId, "canceled: the account was deleted by an administrator", cancellationToken);
        var outcome = await ChangeAsync(actor, userId, losesAdmin: true, async (db, user, ct) =>
        {
            if (keepImages)
            {
                await db.Jobs.IgnoreQueryFilters().Where(j => j.OwnerId == userId).ExecuteUpdateAsync(s => s.SetProperty(j => j.OwnerId, actor.Id), ct);
                await db.Images.IgnoreQueryFilters().Where(i => i.OwnerId == userId).ExecuteUpdateAsync(s => s.SetProperty(i => i.OwnerId, actor.Id), ct);
            }

            db.Accounts().Remove(user);
            audit.Add(db, actor, AuditActions.Deleted, user.Email ?? user.Id, keepImages ? "images kept (moved to the administrator)" : "images deleted");
        }, cancellationToken);
        return outcome;
    }

    public async Task<AdminOutcome> SetQuotaAsync(Actor actor, string userId, Quotas quotas, CancellationToken cancellationToken = default)
    {
        if (Problem(quotas) is { } problem)
        {
            return AdminOutcome.Refused(problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Accounts().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return AdminOutcome.Missing;
        }

        var row = await db.UserQuotas.FirstOrDefaultAsync(q => q.UserId == userId, cancellationToken);
        if (row is null)
        {
            row = new UserQuota { UserId = userId };
            db.UserQuotas.Add(row);
        }

        (row.ImagesPerDay, row.GpuSecondsPerDay, row.MaxQueued, row.SubmissionsPerMinute) = (quotas.ImagesPerDay, quotas.GpuSecondsPerDay, quotas.MaxQueued, quotas.SubmissionsPerMinute);
        audit.Add(db, actor, AuditActions.QuotaChanged, user.Email ?? user.Id, Describe(quotas));
        await db.SaveChangesAsync(cancellationToken);
        return AdminOutcome.Ok;
    }

    public async Task<AdminOutcome> SaveRolePolicyAsync(Actor actor, RolePolicy policy, CancellationToken cancellationToken = default)
    {
        if (!StudioRoles.All.Contains(policy.Role))
        {
            return AdminOutcome.Refused($"'{policy.Role}' is not a role: use {string.Join(", ", StudioRoles.All)}");
        }

        var quotas = new Quotas(policy.ImagesPerDay, policy.GpuSecondsPerDay, policy.MaxQueued, policy.SubmissionsPerMinute);
        var problem = Problem(quotas) ?? (policy.MaxSide is < 1 || policy.MaxSteps is < 1 || policy.MaxBatch is < 1 ? "size, steps and batch limits must be at least 1" : null);
        if (problem is not null)
        {
            return AdminOutcome.Refused(problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.RolePolicies.FirstOrDefaultAsync(p => p.Role == policy.Role, cancellationToken);
        if (row is null)
        {
            row = new RolePolicy { Role = policy.Role };
            db.RolePolicies.Add(row);
        }

        db.Entry(row).CurrentValues.SetValues(policy);
        row.AllowedModels = string.Join("\n", TeamPolicy.ModelList(policy.AllowedModels));
        audit.Add(db, actor, AuditActions.PermissionsChanged, StudioRoles.DisplayName(policy.Role),
            $"generate {policy.CanGenerate}, api {policy.CanUseApi}, share {policy.CanShare}, upscale {policy.CanUpscale}, models [{string.Join(", ", TeamPolicy.ModelList(policy.AllowedModels))}], " +
            $"max side {policy.MaxSide?.ToString() ?? "-"}, steps {policy.MaxSteps?.ToString() ?? "-"}, batch {policy.MaxBatch?.ToString() ?? "-"}; {Describe(quotas)}");
        await db.SaveChangesAsync(cancellationToken);
        return AdminOutcome.Ok;
    }

    private static string? Problem(Quotas quotas) =>
        quotas.ImagesPerDay is < 0 || quotas.GpuSecondsPerDay is < 0 || quotas.MaxQueued is < 0 || quotas.SubmissionsPerMinute is < 1
            ? "quotas must not be negative, and submissions per minute must be at least 1"
            : null;

    private static string Describe(Quotas q) =>
        $"images/day {q.ImagesPerDay?.ToString() ?? "-"}, GPU-s/day {q.GpuSecondsPerDay?.ToString() ?? "-"}, queued {q.MaxQueued?.ToString() ?? "-"}, submissions/min {q.SubmissionsPerMinute?.ToString() ?? "-"}";

    /// <summary>One change of one account, with the last-administrator rule when it <paramref name="losesAdmin"/>
    /// (the account stops being an active administrator). The account's circuits are told after the commit.</summary>
    private async Task<AdminOutcome> ChangeAsync(
        Actor actor, string userId, bool losesAdmin, Func<StudioDbContext, StudioUser, CancellationToken, Task> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AdminLock.TakeAsync(db, cancellationToken);
        var user = await db.Accounts().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return AdminOutcome.Missing;
        }

        var now = time.GetUtcNow();
        var isActiveAdmin = (user.LockoutEnd is null || user.LockoutEnd <= now)
            && TeamPolicies.EffectiveRole(await TeamPolicies.RolesOfAsync(db, userId, cancellationToken)) == StudioRoles.Admin;
        if (losesAdmin && isActiveAdmin && await AdminLock.OtherActiveAdminsAsync(db, userId, now, cancellationToken) == 0)
        {
            return AdminOutcome.Refused("this is the last administrator: make another account an administrator first");
        }

        await change(db, user, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        status.Raise(userId);
        return AdminOutcome.Ok;
    }

    /// <summary>Cancels the account's queued and running jobs, each with <paramref name="reason"/>.</summary>
    private async Task CancelJobsAsync(Actor actor, string userId, string reason, CancellationToken cancellationToken)
    {
        List<Guid> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            ids = await db.Jobs.Where(j => j.OwnerId == userId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running || j.Status == JobStatus.Held))
                .Select(j => j.Id).ToListAsync(cancellationToken);
        }

        foreach (var id in ids)
        {
            await queue.CancelUnauditedAsync(id, actor.Id, isAdmin: true, cancellationToken);
        }

        await using var write = await dbFactory.CreateDbContextAsync(cancellationToken);
        await write.Jobs.Where(j => ids.Contains(j.Id) && j.Status == JobStatus.Canceled)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.FailureReason, reason), cancellationToken);
    }

    private static async Task<string> RoleIdAsync(StudioDbContext db, string role, CancellationToken cancellationToken)
    {
        var normalized = role.ToUpperInvariant();
        if (await db.RoleRows().Where(r => r.NormalizedName == normalized).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken) is { } id)
        {
            return id;
        }

        var created = new IdentityRole(role) { NormalizedName = normalized };
        db.RoleRows().Add(created);
        await db.SaveChangesAsync(cancellationToken);
        return created.Id;
    }

    private static void NewStamp(StudioUser user)
    {
        user.SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant();
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
    }
}
