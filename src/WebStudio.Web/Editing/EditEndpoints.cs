using System.Security.Claims;
using Microsoft.Net.Http.Headers;
using WebStudio.Data;
using WebStudio.Generation.Imaging;
using WebStudio.Web.Endpoints;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Editing;

namespace WebStudio.Web.Editing;

/// <summary>
/// The Edit page's HTTP side. Pixels travel by HTTP only (never through the Blazor circuit): the browser uploads a
/// source image or a painted mask, gets an id back, and names that id when it submits the edit.
/// Every upload passes the imaging rules (format by content, ≤ 20 MB, ≤ 4096×4096 read from the header before any
/// decode, EXIF orientation); a refused one gets a 4xx problem naming the field and a machine-readable code.
/// </summary>
public static class EditEndpoints
{
    /// <summary>Form field of the uploaded file.</summary>
    public const string FileField = "file";

    // A little over the 20 MB file limit, for the multipart framing; Kestrel stops reading past it.
    private const long RequestLimit = 21L * 1024 * 1024;

    public static IEndpointRouteBuilder MapEditing(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().CheckContentTypeInEndpoint();

        // Multipart bodies read by hand (no IFormFile binding, so no form antiforgery token): the Identity cookie is
        // SameSite=Lax, so a cross-site page cannot post here with the user's cookie.
        api.MapPost("/uploads", UploadSourceAsync).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(RequestLimit));
        api.MapGet("/uploads/{id:guid}", GetUpload);
        api.MapPost("/masks", UploadMaskAsync).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(RequestLimit));
        api.MapPost("/edits", SubmitEditAsync);
        return app;
    }

    private static async Task<IResult> UploadSourceAsync(HttpContext context, ClaimsPrincipal user, UploadStore store, CancellationToken ct)
    {
        var (file, refusal) = await ReadFileAsync(context, "image", ct);
        if (refusal is not null)
        {
            return refusal;
        }

        try
        {
            using var upload = ImageUpload.Read(file!);
            var id = store.SaveSource(JobAccess.UserId(user)!, upload.Image);
            var source = EditSource.FromUpload(id);
            return TypedResults.Created(source.Url, new UploadView(id, source.ToString(), source.Url, upload.Width, upload.Height));
        }
        catch (ImageUploadException ex)
        {
            return Refuse(ex, "image");
        }
    }

    private static IResult GetUpload(Guid id, ClaimsPrincipal user, UploadStore store, HttpContext context)
    {
        if (store.SourcePath(JobAccess.UserId(user)!, id) is not { } path)
        {
            return TypedResults.NotFound();
        }

        // Uploads never change; private because they belong to one account.
        context.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
        return TypedResults.PhysicalFile(path, "image/png", entityTag: new EntityTagHeaderValue($"\"{id:N}\""));
    }

    /// <summary>A mask painted in the browser (white = repaint), checked against the size of <paramref name="source"/>.</summary>
    private static async Task<IResult> UploadMaskAsync(
        string? source, HttpContext context, ClaimsPrincipal user, SourceImages sources, UploadStore store, CancellationToken ct)
    {
        if (!EditSource.TryParse(source, out var parsed) || await sources.SizeAsync(parsed, user, ct) is not { } size)
        {
            return Problem(StatusCodes.Status404NotFound, "source", "not_found", "The image this mask belongs to was not found.");
        }

        var (file, refusal) = await ReadFileAsync(context, "mask", ct);
        if (refusal is not null)
        {
            return refusal;
        }

        try
        {
            using var mask = MaskUpload.Read(file!, size.Width, size.Height, MaskConvention.WhiteIsEdit);
            var id = store.SaveMask(JobAccess.UserId(user)!, mask);
            return TypedResults.Created((string?)null, new MaskView(id, mask.Width, mask.Height));
        }
        catch (ImageUploadException ex)
        {
            return Refuse(ex, "mask");
        }
    }

    private static async Task<IResult> SubmitEditAsync(EditRequest request, ClaimsPrincipal user, EditSubmission edits, HttpContext context, CancellationToken ct)
    {
        var outcome = await edits.SubmitAsync(user, request, cancellationToken: ct);
        return outcome.ToHttpResult(context);
    }

    /// <summary>The bytes of the "file" field, or the 4xx that says why there are none.</summary>
    private static async Task<(byte[]? File, IResult? Refusal)> ReadFileAsync(HttpContext context, string what, CancellationToken ct)
    {
        if (!context.Request.HasFormContentType)
        {
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, FileField, "not_multipart",
                $"Send the {what} as multipart/form-data, in a field named '{FileField}'."));
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, FileField, ImageUploadException.TooLarge,
                $"The {what} file is larger than 20 MB, the most that is accepted."));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, FileField, "bad_form", $"The upload could not be read: {ex.Message}"));
        }
        catch (ArgumentException)
        {
            // ASP.NET's form reader throws this on a part header it cannot parse (a "filename*" without a value).
            return (null, Problem(StatusCodes.Status400BadRequest, FileField, "bad_form", "The upload could not be read: a part's Content-Disposition header is malformed."));
        }

        if (form.Files.GetFile(FileField) is not { } formFile)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, FileField, "missing_file",
                $"No {what} was sent: put the file in a form field named '{FileField}'."));
        }

        // The length is known from the buffered form: an oversized file is refused before it is copied.
        if (formFile.Length > ImageUploadLimits.Default.MaxBytes)
        {
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, what, ImageUploadException.TooLarge,
                $"The {what} file is larger than 20 MB, the most that is accepted."));
        }

        using var memory = new MemoryStream((int)formFile.Length);
        await formFile.CopyToAsync(memory, ct);
        return (memory.ToArray(), null);
    }

    private static IResult Refuse(ImageUploadException ex, string what)
    {
        var status = ex.Code switch
        {
            ImageUploadException.UnsupportedFormat => StatusCodes.Status415UnsupportedMediaType,
            ImageUploadException.TooLarge => StatusCodes.Status413PayloadTooLarge,
            _ => StatusCodes.Status400BadRequest,
        };
        return Problem(status, what, ex.Code, ex.Message);
    }

    private static IResult Problem(int status, string field, string code, string message) =>
        TypedResults.Problem(message, statusCode: status, extensions: new Dictionary<string, object?> { ["field"] = field, ["code"] = code });
}

/// <summary>A stored upload: its id, the source reference an edit names, and where the browser shows it.</summary>
public sealed record UploadView(Guid Id, string Source, string Url, int Width, int Height);

public sealed record MaskView(Guid Id, int Width, int Height);
