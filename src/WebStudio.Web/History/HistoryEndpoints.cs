using System.Security.Claims;
using Microsoft.Net.Http.Headers;
using WebStudio.Data;
using WebStudio.Web.Endpoints;
using WebStudio.Studio.Queue;
using WebStudio.Studio.History;

namespace WebStudio.Web.History;

/// <summary>
/// History over HTTP (the page uses <see cref="HistoryService"/> directly): search, one item, re-run, delete, undo,
/// thumbnails, and reading the A1111 parameters of an uploaded PNG. Foreign ids answer 404 like unknown ones.
/// </summary>
public static class HistoryEndpoints
{
    public static IEndpointRouteBuilder MapHistoryEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().CheckContentTypeInEndpoint();
        api.MapGet("/history", QueryAsync);
        api.MapGet("/history/{id:guid}", FindAsync);
        api.MapDelete("/history/{id:guid}", DeleteAsync);
        api.MapPost("/history/{id:guid}/rerun", RerunAsync);
        api.MapPost("/history/{id:guid}/restore", RestoreAsync);
        api.MapGet("/images/{id:guid}/thumb", ThumbnailAsync);

        // A JSON API called with the page's cookie by script; the file is only read, never stored.
        api.MapPost("/parameters/read", ReadParametersAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> QueryAsync(
        ClaimsPrincipal user, HistoryService history, string? q, string? model, string? scheduler, string? status,
        DateOnly? from, DateOnly? to, string? cursor, int? take, CancellationToken ct)
    {
        JobStatus? parsedStatus = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<JobStatus>(status, ignoreCase: true, out var s) || !Enum.IsDefined(s))
            {
                return TypedResults.Problem($"status must be one of {string.Join(", ", Enum.GetNames<JobStatus>())}", statusCode: 400);
            }

            parsedStatus = s;
        }

        if (take is < 1 or > HistoryService.MaxPageSize)
        {
            var message = $"take must be between 1 and {HistoryService.MaxPageSize}; {take} was given";
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["take"] = [message] }, detail: message);
        }

        HistoryCursor? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!HistoryCursor.TryParse(cursor, out var c))
            {
                return TypedResults.Problem("cursor is not one this server gave out", statusCode: 400);
            }

            after = c;
        }

        var filter = new HistoryFilter { Search = q, Model = model, Scheduler = scheduler, Status = parsedStatus, From = from, To = to };
        return TypedResults.Ok(await history.QueryAsync(JobAccess.UserId(user)!, filter, after, take ?? HistoryService.DefaultPageSize, ct));
    }

    private static async Task<IResult> FindAsync(Guid id, ClaimsPrincipal user, HistoryService history, CancellationToken ct) =>
        await history.FindAsync(JobAccess.UserId(user)!, id, ct) is { } item ? TypedResults.Ok(item) : TypedResults.NotFound();

    private static async Task<IResult> DeleteAsync(Guid id, ClaimsPrincipal user, HistoryService history, CancellationToken ct) =>
        await history.DeleteAsync(JobAccess.UserId(user)!, id, ct) switch
        {
            DeleteOutcome.Deleted => TypedResults.Ok(new { deleted = id }),
            DeleteOutcome.StillActive => TypedResults.Problem("the job is still queued or running; cancel it first", statusCode: 409),
            _ => TypedResults.NotFound(),
        };

    // Undo of a delete, while the sweep has not removed the generation yet.
    private static async Task<IResult> RestoreAsync(Guid id, ClaimsPrincipal user, HistoryService history, CancellationToken ct) =>
        await history.RestoreAsync(JobAccess.UserId(user)!, id, ct) ? TypedResults.Ok(new { restored = id }) : TypedResults.NotFound();

    private static async Task<IResult> RerunAsync(Guid id, bool? newSeed, ClaimsPrincipal user, HistoryService history, HttpContext context, CancellationToken ct)
    {
        var outcome = await history.RerunAsync(JobAccess.UserId(user)!, id, newSeed ?? false, ct);
        // The same answers as any other submission: the job (id and seed included), fields named, or 429 + Retry-After.
        return outcome is null ? TypedResults.NotFound() : outcome.ToHttpResult(context);
    }

    private static async Task<IResult> ThumbnailAsync(
        Guid id, ClaimsPrincipal user, JobAccess access, ThumbnailStore thumbnails, HttpContext context, CancellationToken ct)
    {
        var image = await access.FindImageAsync(id, user, ct);
        if (image is null || await thumbnails.GetOrCreateAsync(image, ct) is not { } path)
        {
            return TypedResults.NotFound();
        }

        // Like the image itself: never changes, belongs to one account.
        context.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
        return TypedResults.PhysicalFile(path, "image/webp", lastModified: new DateTimeOffset(image.CreatedAt, TimeSpan.Zero),
            entityTag: new EntityTagHeaderValue($"\"{image.Id:N}-t{ThumbnailStore.Size}\""));
    }

    private static async Task<IResult> ReadParametersAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return TypedResults.Problem("file: send one PNG as field \"file\" of a multipart/form-data body", statusCode: 415);
        }

        // The form is read here rather than bound, so that a malformed body gets an answer that names the field.
        IFormFile? file;
        try
        {
            file = (await request.ReadFormAsync(ct)).Files.GetFile("file");
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException || (e is IOException and not BadHttpRequestException && !ct.IsCancellationRequested))
        {
            // ArgumentException: ASP.NET's form reader on a part header it cannot parse (a "filename*" without a value).
            return TypedResults.Problem("file: the multipart body could not be read (truncated or malformed)", statusCode: 400);
        }

        if (file is null || file.Length == 0)
        {
            return TypedResults.Problem("file: send one PNG as field \"file\" of a multipart/form-data body", statusCode: 400);
        }

        if (file.Length > MaxUploadBytes)
        {
            return TypedResults.Problem($"file: {file.FileName} is larger than {MaxUploadBytes / (1024 * 1024)} MB", statusCode: 413);
        }

        try
        {
            await using var stream = file.OpenReadStream();
            var text = await PngParametersReader.ReadAsync(stream, file.FileName, ct);
            return TypedResults.Ok(new ParametersReadResult(text, A1111ParameterParser.Parse(text)));
        }
        catch (InvalidDataException e)
        {
            return TypedResults.Problem(e.Message, statusCode: 400);
        }
    }

    public const long MaxUploadBytes = 32 * 1024 * 1024;
}

/// <summary>The raw chunk and what it says.</summary>
public sealed record ParametersReadResult(string Text, ParsedParameters Parameters);
