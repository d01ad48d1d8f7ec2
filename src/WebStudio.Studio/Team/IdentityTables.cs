using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Studio.Team;

/// <summary>
/// Identity's tables by entity type: the context's Users/Roles/UserRoles properties are declared in an ASP.NET Core
/// assembly, which the studio core does not reference (StudioLayeringTests); the entity types are not.
/// </summary>
internal static class IdentityTables
{
    public static DbSet<StudioUser> Accounts(this StudioDbContext db) => db.Set<StudioUser>();

    public static DbSet<IdentityRole> RoleRows(this StudioDbContext db) => db.Set<IdentityRole>();

    public static DbSet<IdentityUserRole<string>> RoleLinks(this StudioDbContext db) => db.Set<IdentityUserRole<string>>();
}
