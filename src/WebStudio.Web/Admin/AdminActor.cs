using System.Security.Claims;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Team;

namespace WebStudio.Web.Admin;

public static class AdminActor
{
    /// <summary>The signed-in administrator as the audit log names them.</summary>
    public static Actor Of(ClaimsPrincipal user) => new(JobAccess.UserId(user)!, user.Identity?.Name ?? "");
}
