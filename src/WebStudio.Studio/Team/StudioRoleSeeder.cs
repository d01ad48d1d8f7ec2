using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Studio.Team;

/// <summary>
/// At start-up: the three roles exist as Identity roles (so a role is found by name, e.g. by single sign-on), and
/// every account in no role becomes a Member. Idempotent; a node that loses a race to create a role carries on.
/// </summary>
public static class StudioRoleSeeder
{
    public static void Seed(StudioDbContext db)
    {
        foreach (var role in StudioRoles.All)
        {
            var normalized = role.ToUpperInvariant();
            if (db.RoleRows().Any(r => r.NormalizedName == normalized))
            {
                continue;
            }

            var row = db.RoleRows().Add(new IdentityRole(role) { NormalizedName = normalized, ConcurrencyStamp = Guid.NewGuid().ToString() });
            try
            {
                db.SaveChanges();
            }
            catch (DbUpdateException)
            {
                row.State = EntityState.Detached; // another node created it first
            }
        }

        var member = db.RoleRows().Where(r => r.NormalizedName == "MEMBER").Select(r => r.Id).First();
        var roleless = db.Accounts().Where(u => !db.RoleLinks().Any(r => r.UserId == u.Id)).Select(u => u.Id).ToList();
        foreach (var userId in roleless)
        {
            db.RoleLinks().Add(new IdentityUserRole<string> { UserId = userId, RoleId = member });
        }

        try
        {
            db.SaveChanges();
        }
        catch (DbUpdateException)
        {
            // Another node gave them the role meanwhile.
        }
    }
}
