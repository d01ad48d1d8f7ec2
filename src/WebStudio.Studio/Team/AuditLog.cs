using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Studio.Team;

/// <summary>Who did an administrative action: their id and the name the log keeps (it outlives the account).</summary>
public sealed record Actor(string Id, string Name);

/// <summary>The actions the audit log records.</summary>
public static class AuditActions
{
    public const string RoleChanged = "user.role";
    public const string Disabled = "user.disable";
    public const string Enabled = "user.enable";
    public const string Deleted = "user.delete";
    public const string Invited = "user.invite";
    public const string PasswordReset = "user.password-reset";
    public const string QuotaChanged = "user.quota";
    public const string PermissionsChanged = "role.permissions";
    public const string JobCanceled = "job.cancel";
    public const string JobHeld = "job.hold";
    public const string JobReleased = "job.release";
    public const string JobMovedToFront = "job.front";
    public const string QueuePaused = "queue.pause";
    public const string QueueResumed = "queue.resume";
    public const string ShareRevoked = "share.revoke";
    public const string ModelInstalled = "model.install";
    public const string ModelRemoved = "model.remove";
    public const string ModelMadeDefault = "model.default";
}

/// <summary>One page of the log, newest first.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Total, int Page, int PageSize);

/// <summary>The append-only log of administrative actions: entries are only ever added (the database refuses the rest).</summary>
public sealed class AuditLog(IDbContextFactory<StudioDbContext> dbFactory, TimeProvider time)
{
    public const int MaxPageSize = 200;

    /// <summary>Adds an entry through <paramref name="db"/> (saved with the caller's other changes).</summary>
    public void Add(StudioDbContext db, Actor actor, string action, string target, string details = "") =>
        db.AuditLog.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            ActorId = actor.Id,
            ActorName = Clip(actor.Name, 256),
            Action = action,
            Target = Clip(target, 256),
            Details = Clip(details, 2000),
        });

    public async Task AppendAsync(Actor actor, string action, string target, string details = "", CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (actor.Name.Length == 0)
        {
            actor = actor with { Name = await NameOfAsync(db, actor.Id, cancellationToken) };
        }

        Add(db, actor, action, target, details);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The account's e-mail (its name in the log), or its id when it has none.</summary>
    public static async Task<string> NameOfAsync(StudioDbContext db, string userId, CancellationToken cancellationToken) =>
        await db.Accounts().Where(u => u.Id == userId).Select(u => u.Email ?? u.UserName).FirstOrDefaultAsync(cancellationToken) ?? userId;

    /// <summary>Entries whose actor, action, target or details contain <paramref name="search"/> (any case), newest first.</summary>
    public async Task<AuditPage> SearchAsync(string? search, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        if (page < 1 || pageSize < 1 || pageSize > MaxPageSize)
        {
            throw new ArgumentException($"page must be 1 or more and pageSize 1 to {MaxPageSize}");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        IQueryable<AuditEntry> entries = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            entries = entries.Where(e => e.ActorName.ToLower().Contains(term) || e.Action.ToLower().Contains(term)
                || e.Target.ToLower().Contains(term) || e.Details.ToLower().Contains(term));
        }

        var total = await entries.CountAsync(cancellationToken);
        var rows = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new AuditPage(rows, total, page, pageSize);
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length];
}
