using System.Security.Claims;
using WebStudio.Data;
using WebStudio.Studio.Admin;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Sharing;
using WebStudio.Studio.Team;

namespace WebStudio.Web.Admin;

/// <summary>The body of a role change or an invitation.</summary>
public sealed record RoleChoice(string Role);

/// <summary>
/// The administrator's HTTP endpoints (/api/admin): users, roles' permissions, quotas, invitations, reset links, the
/// audit log, and revoking anyone's share link. The whole group requires the administrator's role, so anyone else
/// gets 403 before any id is looked at, and learns nothing.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").RequireAuthorization(p => p.RequireRole(JobAccess.AdminRole));
        admin.MapGet("/users", async (UserAdministration users, CancellationToken ct) => TypedResults.Ok(await users.ListAsync(ct)));
        admin.MapPost("/users/{id}/role", async (string id, RoleChoice body, ClaimsPrincipal user, UserAdministration users, CancellationToken ct) =>
            Answer(await users.SetRoleAsync(AdminActor.Of(user), id, body.Role, ct)));
        admin.MapPost("/users/{id}/disable", async (string id, ClaimsPrincipal user, UserAdministration users, CancellationToken ct) =>
            Answer(await users.SetDisabledAsync(AdminActor.Of(user), id, disabled: true, ct)));
        admin.MapPost("/users/{id}/enable", async (string id, ClaimsPrincipal user, UserAdministration users, CancellationToken ct) =>
            Answer(await users.SetDisabledAsync(AdminActor.Of(user), id, disabled: false, ct)));
        admin.MapDelete("/users/{id}", async (string id, bool? keepImages, ClaimsPrincipal user, UserAdministration users, CancellationToken ct) =>
            Answer(await users.DeleteAsync(AdminActor.Of(user), id, keepImages ?? true, ct)));
        admin.MapPut("/users/{id}/quota", async (string id, Quotas body, ClaimsPrincipal user, UserAdministration users, CancellationToken ct) =>
            Answer(await users.SetQuotaAsync(AdminActor.Of(user), id, body, ct)));
        admin.MapPost("/users/{id}/password-reset", async (string id, ClaimsPrincipal user, AccountLinks links, HttpContext context) =>
            await links.PasswordResetAsync(AdminActor.Of(user), id) is { } path ? Results.Ok(new { url = Absolute(context, path) }) : Results.NotFound());
        admin.MapPost("/invitations", async (RoleChoice body, ClaimsPrincipal user, AccountLinks links, HttpContext context) =>
        {
            if (!StudioRoles.All.Contains(body.Role))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["role"] = [$"use {string.Join(", ", StudioRoles.All)}"] });
            }

            return Results.Ok(new { url = Absolute(context, await links.InvitationAsync(AdminActor.Of(user), body.Role)) });
        });
        admin.MapGet("/roles", async (TeamPolicies policies, CancellationToken ct) => TypedResults.Ok(await policies.RolePoliciesAsync(ct)));
        admin.MapPut("/roles/{role}", async (string role, RolePolicy body, ClaimsPrincipal user, UserAdministration users, CancellationToken ct) =>
        {
            body.Role = role;
            return Answer(await users.SaveRolePolicyAsync(AdminActor.Of(user), body, ct));
        });
        admin.MapGet("/audit", async (string? search, int? page, int? pageSize, AuditLog audit, CancellationToken ct) =>
        {
            var (p, size) = (page ?? 1, pageSize ?? 50);
            if (p < 1 || size is < 1 or > AuditLog.MaxPageSize)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["page"] = [$"page must be 1 or more and pageSize 1 to {AuditLog.MaxPageSize}"] });
            }

            return Results.Ok(await audit.SearchAsync(search, p, size, ct));
        });
        admin.MapDelete("/shares/{id:guid}", async (Guid id, ClaimsPrincipal user, ShareLinkService shares, CancellationToken ct) =>
            await shares.RevokeAsAdministratorAsync(AdminActor.Of(user), id, ct) ? Results.Ok(new { revoked = id }) : Results.NotFound());
        return app;
    }

    private static IResult Answer(AdminOutcome outcome) =>
        outcome.Done ? Results.Ok()
        : outcome.NotFound ? Results.NotFound()
        : Results.Problem(outcome.Problem, statusCode: StatusCodes.Status409Conflict);

    private static string Absolute(HttpContext context, string path) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{path}";
}
