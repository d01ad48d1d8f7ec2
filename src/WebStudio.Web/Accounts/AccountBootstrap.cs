using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Web.Options;
using WebStudio.Studio.Options;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Accounts;

/// <summary>The first account becomes the administrator; registration may be closed for everyone after it.</summary>
public sealed class AccountBootstrap(StudioDbContext db, UserManager<StudioUser> users, RoleManager<IdentityRole> roles, IOptions<StudioOptions> options)
{
    /// <summary>Registration is open when configured so, and always while no account exists (to create the administrator).</summary>
    public bool RegistrationOpen() => options.Value.AllowRegistration || !users.Users.Any();

    /// <summary>Whether only the administrator's own account may register (see <see cref="StudioOptions.AllowRegistration"/>).</summary>
    public bool ClosedAfterTheAdministrator => !options.Value.AllowRegistration;

    /// <summary>
    /// Makes <paramref name="user"/> the administrator when nobody has claimed that yet. The claim is the single row
    /// of <see cref="AdministratorClaim"/>, written in one transaction with the role: the database refuses a second
    /// row, so of racing registrations (in one process or several on the database) exactly one becomes administrator.
    /// </summary>
    /// <returns>Whether <paramref name="user"/> became the administrator.</returns>
    public async Task<bool> PromoteIfFirstAsync(StudioUser user)
    {
        if (await db.AdministratorClaims.AnyAsync())
        {
            return false;
        }

        // UserManager and RoleManager save through this same scoped context, so their writes join the transaction.
        await using var transaction = await db.Database.BeginTransactionAsync();
        var claim = db.AdministratorClaims.Add(new AdministratorClaim { UserId = user.Id });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            claim.State = EntityState.Detached;
            await transaction.RollbackAsync();
            if (await db.AdministratorClaims.AnyAsync())
            {
                return false; // another registration claimed it first
            }

            throw;
        }

        if (!await roles.RoleExistsAsync(JobAccess.AdminRole))
        {
            Succeeded(await roles.CreateAsync(new IdentityRole(JobAccess.AdminRole)));
        }

        Succeeded(await users.AddToRoleAsync(user, JobAccess.AdminRole));
        await transaction.CommitAsync();
        return true;
    }

    /// <summary>Puts a new account in <paramref name="role"/> (a Member, or an invitation's role).</summary>
    public async Task AddToRoleAsync(StudioUser user, string role)
    {
        if (!await roles.RoleExistsAsync(role))
        {
            Succeeded(await roles.CreateAsync(new IdentityRole(role)));
        }

        Succeeded(await users.AddToRoleAsync(user, role));
    }

    private static void Succeeded(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Making the first account the administrator failed: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
