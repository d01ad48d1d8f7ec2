using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Web.Options;
using WebStudio.Web.Queue;

namespace WebStudio.Web.Accounts;

/// <summary>The first account becomes the administrator; registration may be closed for everyone after it.</summary>
public sealed class AccountBootstrap(UserManager<StudioUser> users, RoleManager<IdentityRole> roles, IOptions<StudioOptions> options)
{
    /// <summary>Registration is open when configured so, and always while no account exists (to create the administrator).</summary>
    public bool RegistrationOpen() => options.Value.AllowRegistration || !users.Users.Any();

    /// <summary>Makes <paramref name="user"/> the administrator when nobody is one yet.</summary>
    public async Task PromoteIfFirstAsync(StudioUser user)
    {
        if (!await roles.RoleExistsAsync(JobAccess.AdminRole))
        {
            await roles.CreateAsync(new IdentityRole(JobAccess.AdminRole));
        }

        if ((await users.GetUsersInRoleAsync(JobAccess.AdminRole)).Count == 0)
        {
            await users.AddToRoleAsync(user, JobAccess.AdminRole);
        }
    }
}
