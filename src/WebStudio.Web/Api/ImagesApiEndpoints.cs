using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Web.Engine;
using WebStudio.Studio.Engine;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Team;
using WebStudio.Studio.Vocabulary;

namespace WebStudio.Web.Api;

/// <summary>
/// The OpenAI-compatible Images API under /v1: generations (JSON), edits and variations (multipart), models, and
/// the signed image URLs of response_format=url. Every refusal is a 4xx in OpenAI's error shape.
/// </summary>
public static class ImagesApiEndpoints
{
    public static IEndpointRouteBuilder MapImagesApi(this IEndpointRouteBuilder app)
    {
        // Signed links carry their own authorisation: no key, no login.
        app.MapGet(SignedImageUrls.Route + "/{id:guid}", GetSignedImageAsync).AllowAnonymous();

        var v1 = app.MapGroup("/v1").DisableAntiforgery().RequireAuthorization(ApiKeyAuthentication.Policy);
        v1.MapPost("/images/generations", (HttpContext context, ApiImageService images) =>
            Handle(context, async () => await RunAsync(context, images, await ImageRequestParser.ReadJsonAsync(context.Request, context.RequestAborted))));
        v1.MapPost("/images/edits", (HttpContext context, ApiImageService images) =>
            Handle(context, async () => await RunAsync(context, images, await ImageRequestParser.ReadFormAsync(context.Request, ImageOperation.Edit, context.RequestAborted))));
        v1.MapPost("/images/variations", (HttpContext context, ApiImageService images) =>
            Handle(context, async () => await RunAsync(context, images, await ImageRequestParser.ReadFormAsync(context.Request, ImageOperation.Variation, context.RequestAborted))));
        // The models the key's owner may use, as OpenAI lists the models a key can reach.
        v1.MapGet("/models", async (HttpContext context, IGenerationEngine engine, TeamPolicies policies) =>
        {
            var policy = await policies.ForUserAsync(JobAccess.UserId(context.User)!, context.RequestAborted);
            return TypedResults.Json(new ModelList("list", engine.Models().Where(m => policy.AllowsModel(m.Name)).Select(Info).ToList()), ApiJson.Options);
        });
        v1.MapGet("/models/{id}", (HttpContext context, string id, ApiImageService images) =>
            Handle(context, async () => TypedResults.Json(Info(await images.ResolveModelAsync(JobAccess.UserId(context.User)!, id, context.RequestAborted)), ApiJson.Options)));

        // Anything else under /v1 is answered like OpenAI answers an unknown route, not with the studio's page.
        app.Map("/v1/{**rest}", (HttpContext context) => OpenAIError.Result(context, new ApiException(StatusCodes.Status404NotFound,
            $"Invalid URL ({context.Request.Method} {context.Request.Path}).", null, "unknown_url"))).AllowAnonymous().DisableAntiforgery();
        return app;
    }

    private static ModelInfo Info(EngineModel model) => new(model.Name, "model", 0, "webstudio");

    private static async Task<IResult> Handle(HttpContext context, Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (ApiException ex)
        {
            return OpenAIError.Result(context, ex);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own refusals: a body over the size limit, or one that ends early or is malformed.
            var tooLarge = ex.StatusCode == StatusCodes.Status413PayloadTooLarge;
            return OpenAIError.Result(context, new ApiException(tooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                tooLarge ? "The request body is too large." : $"The request body could not be read: {ex.Message}", null, tooLarge ? "request_too_large" : "invalid_body"));
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            return TypedResults.Empty; // the client is gone; nobody reads an answer
        }
    }

    private static async Task<IResult> RunAsync(HttpContext context, ApiImageService images, ImageRequest request)
    {
        var userId = ApiCaller.UserId(context);
        var aborted = context.RequestAborted;
        var submission = await images.SubmitAsync(userId, request, aborted);
        var model = submission.Jobs[0].Model;
        var unknown = context.RequestServices.GetRequiredService<ModelCards>().UnknownWords(model, request.Prompt);
        ApiResponseHeaders.Add(context.Response, submission, model, unknown);
        try
        {
            return await RespondAsync(context, images, request, userId, submission);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && aborted.IsCancellationRequested
            && !context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested)
        {
            // The client went away while its jobs ran, so nobody will read the result and its jobs go too; at shutdown
            // they stay queued. A stream does the same when its client goes (ImageEventStream).
            await images.AbandonAsync(userId, submission.Jobs);
            throw;
        }
    }

    private static async Task<IResult> RespondAsync(HttpContext context, ApiImageService images, ImageRequest request, string userId, ApiSubmission submission)
    {
        var aborted = context.RequestAborted;
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var quality = ApiQuality.Reported(request.Quality);
        var background = request.Background == "auto" ? "opaque" : request.Background;

        if (request.Stream && request.Operation != ImageOperation.Variation)
        {
            return new ImageEventStream(images, request, userId, submission);
        }

        var finished = await images.WaitAsync(submission, request, null, aborted);
        var usage = await images.UsageAsync(submission, request, aborted);
        var urls = context.RequestServices.GetRequiredService<SignedImageUrls>();
        var data = new List<ImageData>();
        foreach (var image in finished)
        {
            if (request.ResponseFormat == "url")
            {
                data.Add(new ImageData(null, urls.Create(context.Request, image.Id, request.OutputFormat, request.OutputCompression), null));
                continue;
            }

            var bytes = await images.ReadImageAsync(image, request.OutputFormat, request.OutputCompression, aborted)
                ?? throw new ApiException(StatusCodes.Status500InternalServerError, "A finished image file is missing.", null, "image_missing");
            data.Add(new ImageData(Convert.ToBase64String(bytes), null, null));
        }

        return TypedResults.Json(new ImagesResponse(created, data, submission.Size, quality, request.OutputFormat, background, usage), ApiJson.Options);
    }

    private static async Task<IResult> GetSignedImageAsync(
        Guid id, string? format, int? compression, long? expires, string? sig,
        SignedImageUrls urls, IDbContextFactory<StudioDbContext> dbFactory, ApiImageService images, HttpContext context, CancellationToken ct)
    {
        format ??= "png";
        var valid = format is "png" or "jpeg" or "webp" && compression is null or (>= 0 and <= 100)
            && expires is { } until && sig is { } signature && urls.Verify(id, format, compression, until, signature);
        GeneratedImage? image = null;
        if (valid)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            image = await db.Images.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        }

        // A bad, expired or foreign signature looks exactly like an image that does not exist.
        if (image is null || await images.ReadImageAsync(image, format, compression, ct) is not { } bytes)
        {
            return OpenAIError.Result(context, new ApiException(StatusCodes.Status404NotFound,
                "The image link is invalid or has expired (links last 60 minutes).", null, "not_found"));
        }

        context.Response.Headers.CacheControl = "private, max-age=3600";
        return TypedResults.File(bytes, ImageEncoding.MediaType(format));
    }
}
