using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using WebStudio.Studio.ModelManagement;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Team;
using WebStudio.Web.Admin;

namespace WebStudio.Web.ModelManagement;

/// <summary>
/// <c>POST /api/admin/models/zip?fileName=…&amp;name=…</c>: a zipped model folder as the request's body, streamed to
/// disk and installed as the models page's other ways and the CLI install. The models page sends its zip here rather
/// than through its circuit, which would carry a multi-gigabyte upload in small messages. Administrators only; the
/// body is read by hand (no form binding, so no antiforgery token): the login cookie is SameSite=Lax, so another site
/// cannot post here with it.
/// </summary>
public static class ModelUploadEndpoints
{
    public const string Route = "/api/admin/models/zip";

    private static readonly string[] ZipTypes = ["application/zip", "application/x-zip-compressed", "application/octet-stream"];

    public static IEndpointRouteBuilder MapModelUpload(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, UploadAsync).RequireAuthorization(p => p.RequireRole(JobAccess.AdminRole));
        return app;
    }

    /// <summary>The page's upload address for the file <paramref name="fileName"/>, installed as <paramref name="name"/> or named after the file.</summary>
    public static string Url(string fileName, string? name) =>
        $"{Route.TrimStart('/')}?fileName={Uri.EscapeDataString(fileName)}{(string.IsNullOrWhiteSpace(name) ? "" : $"&name={Uri.EscapeDataString(name.Trim())}")}";

    private static async Task<IResult> UploadAsync(HttpContext context, string? fileName, string? name, ModelInstaller installer, AuditLog audit,
        IOptions<ModelManagerOptions> settings, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return TypedResults.Problem("fileName: give the zip's file name (?fileName=model.zip); the model is named after it unless name is given", statusCode: 400);
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) || !ZipTypes.Contains(type.MediaType.Value, StringComparer.OrdinalIgnoreCase))
        {
            return TypedResults.Problem($"send the zip itself as the body, with Content-Type {ZipTypes[0]}", statusCode: 415);
        }

        // Kestrel's 30 MB default would stop a model; the installer's own limit holds instead.
        var limit = settings.Value.MaxZipBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        try
        {
            var model = await installer.InstallZipUploadAsync(context.Request.Body, context.Request.ContentLength, fileName, string.IsNullOrWhiteSpace(name) ? null : name.Trim(), ct);
            await audit.AppendAsync(AdminActor.Of(context.User), AuditActions.ModelInstalled, model.Name,
                $"from the zip {fileName}, {Studio.Engine.JobMemoryAdmission.Size(model.SizeBytes)}", CancellationToken.None);
            return TypedResults.Ok(new ModelUploaded(model.Name, model.SizeBytes));
        }
        catch (ModelInstallException e)
        {
            // Refused for its declared length before any byte was read: too large, as Kestrel says past the limit.
            return TypedResults.Problem(e.Message, statusCode: context.Request.ContentLength > limit ? 413 : 400);
        }
        catch (BadHttpRequestException e)
        {
            return e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TypedResults.Problem($"the zip is larger than the {Studio.Engine.JobMemoryAdmission.Size(limit)} a model may take", statusCode: 413)
                : TypedResults.Problem($"the upload broke off before its end ({e.Message}); nothing was installed", statusCode: 400);
        }
        catch (IOException e) when (!ct.IsCancellationRequested)
        {
            return TypedResults.Problem($"the zip could not be stored ({e.Message}); nothing was installed", statusCode: 500);
        }
    }
}

/// <summary>The installed model's name and size on disk.</summary>
public sealed record ModelUploaded(string Name, long SizeBytes);
