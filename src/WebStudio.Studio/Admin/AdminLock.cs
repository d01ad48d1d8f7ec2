using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Team;

namespace WebStudio.Studio.Admin;

/// <summary>
/// Serialises changes that could leave the studio without an administrator: inside the caller's transaction,
/// SQLite's write lock (BEGIN IMMEDIATE) already does; PostgreSQL takes one advisory lock for all of them, so two
/// administrators demoting each other at once cannot both pass the "another administrator remains" check.
/// </summary>
internal static class AdminLock
{
    public static async Task TakeAsync(StudioDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtextextended('webstudio.administrators', 0))", cancellationToken);
        }
    }

    /// <summary>Active (not disabled) administrators other than <paramref name="userId"/>.</summary>
    public static async Task<int> OtherActiveAdminsAsync(StudioDbContext db, string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lockouts = await (from link in db.RoleLinks()
                              join role in db.RoleRows() on link.RoleId equals role.Id
                              join user in db.Accounts() on link.UserId equals user.Id
                              where role.Name == StudioRoles.Admin && user.Id != userId
                              select user.LockoutEnd).ToListAsync(cancellationToken);
        return lockouts.Count(end => end is null || end <= now);
    }
}
