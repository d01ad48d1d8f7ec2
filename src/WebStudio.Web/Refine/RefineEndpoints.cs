using System.Security.Claims;
using WebStudio.Studio.Refine;
using WebStudio.Web.Endpoints;

namespace WebStudio.Web.Refine;

/// <summary>
/// Refine conversations over HTTP (issue 22): start a thread (from a prompt or a History image), continue it from
/// any turn (a branch when that turn has one already), undo a turn, read it. Someone else's thread answers 404, as
/// an id that never existed.
/// </summary>
public static class RefineEndpoints
{
    public static IEndpointRouteBuilder MapRefine(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/refine").RequireAuthorization().CheckContentTypeInEndpoint();
        api.MapGet("/threads", async (ClaimsPrincipal user, RefineThreads threads, CancellationToken ct) => TypedResults.Ok(await threads.ListAsync(user, ct)));
        api.MapPost("/threads", async (RefineTurnRequest request, ClaimsPrincipal user, RefineThreads threads, HttpContext context, CancellationToken ct) =>
            ToResult(await threads.StartAsync(user, request, ct), context));
        api.MapGet("/threads/{id:guid}", async (Guid id, ClaimsPrincipal user, RefineThreads threads, CancellationToken ct) =>
            await threads.GetAsync(id, user, ct) is { } thread ? Results.Ok(thread) : Results.NotFound());
        api.MapPost("/threads/{id:guid}/turns", async (Guid id, RefineTurnRequest request, ClaimsPrincipal user, RefineThreads threads, HttpContext context, CancellationToken ct) =>
            ToResult(await threads.ContinueAsync(id, user, request, ct), context));
        api.MapDelete("/threads/{id:guid}", async (Guid id, ClaimsPrincipal user, RefineThreadDeletion deletion, CancellationToken ct) =>
            await deletion.DeleteAsync(id, user, ct) switch
            {
                null => Results.NotFound(),
                { Conflict: { } conflict } => TypedResults.Problem(conflict, statusCode: StatusCodes.Status409Conflict),
                var done => Results.Ok(done),
            });
        api.MapPost("/threads/{id:guid}/turns/{turnId:guid}/undo", async (Guid id, Guid turnId, ClaimsPrincipal user, RefineThreads threads, HttpContext context, CancellationToken ct) =>
            ToResult(await threads.UndoAsync(id, turnId, user, ct), context));
        return app;
    }

    private static IResult ToResult(RefineOutcome outcome, HttpContext context) => outcome switch
    {
        { Refused: { } refused } => refused.ToHttpResult(context),
        { Conflict: { } conflict } => TypedResults.Problem(conflict, statusCode: StatusCodes.Status409Conflict),
        { Thread: { } thread, Turn: not null } => TypedResults.Created($"/api/refine/threads/{thread.Id}", thread),
        { Thread: { } thread } => TypedResults.Ok(thread),
        _ => TypedResults.NotFound(),
    };
}
