using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using WebStudio.Data;
using WebStudio.Web.Engine;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Options;
using WebStudio.Studio.Admin;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Storage;
using WebStudio.Web.Admin;

namespace WebStudio.Web.Endpoints;

/// <summary>
/// The studio's HTTP endpoints: images, job state, the latest preview frame, submission and cancellation. Every id
/// goes through <see cref="JobAccess"/>: someone else's id answers 404, exactly like an id that never existed.
/// </summary>
public static class StudioEndpoints
{
    public static IEndpointRouteBuilder MapStudioEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().CheckContentTypeInEndpoint();
        api.MapGet("/images/{id:guid}", GetImageAsync);
        api.MapGet("/jobs/{id:guid}", GetJobAsync);
        api.MapGet("/jobs/{id:guid}/preview", GetPreviewAsync);
        api.MapPost("/jobs", SubmitAsync);
        api.MapPost("/jobs/{id:guid}/cancel", CancelAsync);
        api.MapPost("/jobs/{id:guid}/front", MoveToFrontAsync).RequireAuthorization(p => p.RequireRole(JobAccess.AdminRole));
        return app;
    }

    private static async Task<IResult> GetImageAsync(
        Guid id, bool? download, ClaimsPrincipal user, JobAccess access, ImageStore store, HttpContext context, CancellationToken ct)
    {
        var image = await access.FindImageAsync(id, user, ct);
        if (image is null || store.Resolve(image.FileName) is not { } path)
        {
            return TypedResults.NotFound();
        }

        // Images never change once written; private because they belong to one account.
        context.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
        var etag = new EntityTagHeaderValue($"\"{image.Id:N}\"");
        var name = download == true ? string.Create(CultureInfo.InvariantCulture, $"webstudio-{image.Seed}-{image.Id.ToString("N")[..8]}.png") : null;
        return TypedResults.PhysicalFile(path, "image/png", name, new DateTimeOffset(image.CreatedAt, TimeSpan.Zero), etag);
    }

    private static async Task<IResult> GetJobAsync(
        Guid id, ClaimsPrincipal user, JobAccess access, JobProgressNotifier notifier, QueueSnapshot queue, CancellationToken ct)
    {
        var job = await access.FindJobAsync(id, user, withImages: true, ct);
        if (job is null)
        {
            return TypedResults.NotFound();
        }

        var step = notifier.GetLiveState(id)?.Step ?? (job.Status == JobStatus.Succeeded ? job.Steps : 0);
        var view = JobView.From(job, step);
        // As the owner's view gives it, whoever asks: an administrator's view would read every waiting job on each poll.
        if (job.Status is JobStatus.Queued or JobStatus.Running && await queue.PlaceOfAsync(id, job.OwnerId, ct) is var (position, eta))
        {
            view = view with { Position = position, EtaSeconds = eta is { } e ? Math.Round(e.TotalSeconds, 3) : null };
        }

        return TypedResults.Ok(view);
    }

    private static async Task<IResult> GetPreviewAsync(Guid id, ClaimsPrincipal user, JobAccess access, JobProgressNotifier notifier, HttpContext context, CancellationToken ct)
    {
        if (await access.FindJobAsync(id, user, cancellationToken: ct) is null)
        {
            return TypedResults.NotFound();
        }

        context.Response.Headers.CacheControl = "no-store";
        if (notifier.GetLatestFrame(id) is not { Png: { } png } frame)
        {
            return TypedResults.NoContent();
        }

        context.Response.Headers["X-Preview-Step"] = frame.Step.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-Preview-Total-Steps"] = frame.TotalSteps.ToString(CultureInfo.InvariantCulture);
        return TypedResults.File(png, frame.Type ?? "image/png");
    }

    private static async Task<IResult> SubmitAsync(
        JobSpec.Txt2Img spec, ClaimsPrincipal user, JobQueue queue, IOptions<GenerationOptions> generation, HttpContext context, CancellationToken ct)
    {
        var userId = JobAccess.UserId(user)!;
        // The body is a text-to-image spec itself: its fields and defaults are the spec's, declared once. A model left
        // out is the studio's default, as on the Generate page and in the OpenAI API.
        if (string.IsNullOrEmpty(spec.Model))
        {
            spec = spec with { Model = generation.Value.DefaultModel };
        }

        var outcome = await queue.SubmitAsync(userId, spec, null, JobSource.Studio, ct);
        return outcome.ToHttpResult(context);
    }

    private static async Task<Results<Ok<string>, NotFound, Conflict<string>>> CancelAsync(Guid id, ClaimsPrincipal user, JobQueue queue, CancellationToken ct)
    {
        var outcome = await queue.CancelAsync(id, JobAccess.UserId(user)!, JobAccess.IsAdmin(user), ct);
        return outcome switch
        {
            CancelOutcome.NotFound => TypedResults.NotFound(),
            CancelOutcome.AlreadyFinished => TypedResults.Conflict("the job has already finished"),
            _ => TypedResults.Ok(outcome.ToString()),
        };
    }

    private static async Task<IResult> MoveToFrontAsync(Guid id, ClaimsPrincipal user, QueueAdministration queue, CancellationToken ct) =>
        await queue.MoveToFrontAsync(AdminActor.Of(user), id, ct) == QueueActionOutcome.Done ? TypedResults.Ok() : TypedResults.NotFound();
}
