using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WebStudio.Studio;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using WebStudio.Web.Endpoints;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Storage;
using WebStudio.Studio.Sharing;

namespace WebStudio.Web.Sharing;

/// <summary>
/// The public side (/s/{token}: the page and its images, no login) and the owner's API (create, list, revoke). Every way a
/// token can fail — unknown, revoked, expired, malformed, its content gone — ends in the same plain 404 page.
/// </summary>
public static class ShareEndpoints
{
    private static readonly PngEncoder StrippedEncoder = new() { TextCompressionThreshold = int.MaxValue };

    public static IEndpointRouteBuilder MapShareEndpoints(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/s").AllowAnonymous();
        open.MapGet("/{token}", PageAsync);
        open.MapGet("/{token}/images/{imageId:guid}", ImageAsync);

        var api = app.MapGroup("/api").RequireAuthorization().CheckContentTypeInEndpoint();
        api.MapPost("/galleries/{id:guid}/shares", (Guid id, ShareOptions body, ClaimsPrincipal user, ShareLinkService shares, HttpContext context, CancellationToken ct) =>
            CreateAsync(new ShareRequest(id, null, body.Label, body.HidePrompts, body.ExpiresAt), user, shares, context, ct));
        api.MapPost("/images/{id:guid}/shares", (Guid id, ShareOptions body, ClaimsPrincipal user, ShareLinkService shares, HttpContext context, CancellationToken ct) =>
            CreateAsync(new ShareRequest(null, id, body.Label, body.HidePrompts, body.ExpiresAt), user, shares, context, ct));
        api.MapGet("/galleries/{id:guid}/shares", async (Guid id, ClaimsPrincipal user, ShareLinkService shares, CancellationToken ct) =>
            await shares.ListAsync(JobAccess.UserId(user)!, id, null, ct) is { } links ? Results.Ok(links) : Results.NotFound());
        api.MapGet("/images/{id:guid}/shares", async (Guid id, ClaimsPrincipal user, ShareLinkService shares, CancellationToken ct) =>
            await shares.ListAsync(JobAccess.UserId(user)!, null, id, ct) is { } links ? Results.Ok(links) : Results.NotFound());
        api.MapDelete("/shares/{id:guid}", async (Guid id, ClaimsPrincipal user, ShareLinkService shares, CancellationToken ct) =>
            await shares.RevokeAsync(JobAccess.UserId(user)!, id, ct) ? Results.Ok(new { revoked = id }) : Results.NotFound());
        return app;
    }

    /// <summary>The 404 every failed token gets, byte for byte the same.</summary>
    private static RazorComponentResult<ShareNotFound> NotFoundPage() => new() { StatusCode = StatusCodes.Status404NotFound };

    private static async Task<IResult> PageAsync(string token, ShareLinkService shares, HttpContext context, CancellationToken ct)
    {
        Private(context);
        var share = await shares.ResolveAsync(token, ct);
        var content = share is null ? null : await shares.LoadContentAsync(share, ct);
        if (content is null)
        {
            return NotFoundPage();
        }

        var origin = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
        return new RazorComponentResult<SharePage>(new Dictionary<string, object?>
        {
            [nameof(SharePage.Content)] = content,
            [nameof(SharePage.Token)] = token,
            [nameof(SharePage.Origin)] = origin,
        });
    }

    private static async Task<IResult> ImageAsync(
        string token, Guid imageId, bool? download, ShareLinkService shares, ImageStore store, HttpContext context, CancellationToken ct)
    {
        Private(context);
        var share = await shares.ResolveAsync(token, ct);
        var image = share is null ? null : await shares.FindImageAsync(share, imageId, ct);
        if (share is null || image is null || store.Resolve(image.FileName) is not { } path)
        {
            return NotFoundPage();
        }

        // Revalidated on every use, so a revoked link stops serving at once, even from a browser cache.
        context.Response.Headers.CacheControl = "no-cache";
        var name = download == true ? string.Create(CultureInfo.InvariantCulture, $"webstudio-{image.Seed}-{image.Id.ToString("N")[..8]}.png") : null;
        if (!share.HidePrompts)
        {
            return TypedResults.PhysicalFile(path, "image/png", name);
        }

        // Hidden prompts must not travel in the PNG's parameters chunk either.
        using var picture = await Image.LoadAsync(path, ct);
        picture.Metadata.GetPngMetadata().TextData.Clear();
        picture.Metadata.ExifProfile = null;
        Provenance.Stamp(picture.Metadata); // the XMP holds no prompt: the provenance stays
        using var buffer = new MemoryStream();
        await picture.SaveAsPngAsync(buffer, StrippedEncoder, ct);
        return TypedResults.File(buffer.ToArray(), "image/png", name);
    }

    private static async Task<IResult> CreateAsync(ShareRequest body, ClaimsPrincipal user, ShareLinkService shares, HttpContext context, CancellationToken ct)
    {
        try
        {
            var created = await shares.CreateAsync(JobAccess.UserId(user)!, body, ct);
            if (created is null)
            {
                return TypedResults.NotFound();
            }

            var url = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{created.Path}";
            return TypedResults.Created(url, new { created.Link, created.Token, url });
        }
        catch (WebStudio.Studio.Team.PermissionDeniedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status403Forbidden);
        }
        catch (FieldValidationException e)
        {
            return e.ToValidationProblem();
        }
    }

    // The token is a secret: keep it out of Referer headers, search engines and shared caches.
    private static void Private(HttpContext context)
    {
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        context.Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        context.Response.Headers.CacheControl = "no-store";
    }
}

/// <summary>The body of a create-link request; the target comes from the route.</summary>
public sealed record ShareOptions(string? Label, bool HidePrompts, DateTime? ExpiresAt);
