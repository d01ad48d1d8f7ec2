using System.Security.Claims;
using WebStudio.Data;
using WebStudio.Studio.Admin;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Sharing;
using WebStudio.Studio.Team;

namespace WebStudio.Web.Admin;

/// <summary>The body of a role change or an invitation.</summary>
public sealed record RoleChoice(string Role);

/// <summary>The body of a queue pause.</summary>
public sealed record PauseRequest(string? Reason);

/// <summary>
/// The administrator's HTTP endpoints (/api/admin): users, roles' permissions, quotas, invitations, reset links, the
/// audit log, revoking anyone's share link, and the queue (every job; hold, release, move to the front, cancel;
/// pause and resume). The whole group requires the administrator's role, so anyone else
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
        MapQueue(admin);
        return app;
    }

    private static void MapQueue(RouteGroupBuilder admin)
    {
        admin.MapGet("/queue", async (ClaimsPrincipal user, QueueSnapshot snapshot, CancellationToken ct) =>
            TypedResults.Ok(AdminQueueWire.From(await snapshot.GetAsync(JobAccess.UserId(user)!, isAdmin: true, ct))));
        admin.MapPost("/jobs/{id:guid}/hold", async (Guid id, ClaimsPrincipal user, QueueAdministration queue, CancellationToken ct) =>
            Answer(await queue.HoldAsync(AdminActor.Of(user), id, ct), "only a queued job can be held"));
        admin.MapPost("/jobs/{id:guid}/release", async (Guid id, ClaimsPrincipal user, QueueAdministration queue, CancellationToken ct) =>
            Answer(await queue.ReleaseAsync(AdminActor.Of(user), id, ct), "the job is not held"));
        admin.MapPost("/jobs/{id:guid}/front", async (Guid id, ClaimsPrincipal user, QueueAdministration queue, CancellationToken ct) =>
            Answer(await queue.MoveToFrontAsync(AdminActor.Of(user), id, ct), "only a queued job can be moved to the front"));
        admin.MapPost("/jobs/{id:guid}/cancel", async (Guid id, ClaimsPrincipal user, JobQueue queue, CancellationToken ct) =>
            await queue.CancelAsync(id, JobAccess.UserId(user)!, isAdmin: true, ct) switch
            {
                CancelOutcome.NotFound => Results.NotFound(),
                CancelOutcome.AlreadyFinished => Results.Problem("the job has already finished", statusCode: StatusCodes.Status409Conflict),
                var outcome => Results.Ok(new { outcome = outcome.ToString() }),
            });
        admin.MapPost("/queue/pause", async (PauseRequest? body, ClaimsPrincipal user, QueueAdministration queue, CancellationToken ct) =>
        {
            if (body?.Reason is { Length: > QueueAdministration.MaxReasonLength })
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [$"the reason is at most {QueueAdministration.MaxReasonLength} characters"] });
            }

            return await queue.PauseAsync(AdminActor.Of(user), body?.Reason, ct) ? Results.Ok(new { paused = true })
                : Results.Problem("the queue is already paused", statusCode: StatusCodes.Status409Conflict);
        });
        admin.MapPost("/queue/resume", async (ClaimsPrincipal user, QueueAdministration queue, CancellationToken ct) =>
            await queue.ResumeAsync(AdminActor.Of(user), ct) ? Results.Ok(new { paused = false })
                : Results.Problem("the queue is not paused", statusCode: StatusCodes.Status409Conflict));
    }

    private static IResult Answer(QueueActionOutcome outcome, string notApplicable) => outcome switch
    {
        QueueActionOutcome.Done => Results.Ok(),
        QueueActionOutcome.NotFound => Results.NotFound(),
        _ => Results.Problem(notApplicable, statusCode: StatusCodes.Status409Conflict),
    };

    private static IResult Answer(AdminOutcome outcome) =>
        outcome.Done ? Results.Ok()
        : outcome.NotFound ? Results.NotFound()
        : Results.Problem(outcome.Problem, statusCode: StatusCodes.Status409Conflict);

    private static string Absolute(HttpContext context, string path) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{path}";
}
