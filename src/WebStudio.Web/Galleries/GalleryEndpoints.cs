using System.Security.Claims;
using WebStudio.Studio;
using WebStudio.Web.Endpoints;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Galleries;

namespace WebStudio.Web.Galleries;

/// <summary>Galleries over HTTP for scripts and tests; the pages call <see cref="GalleryService"/> directly.</summary>
public static class GalleryEndpoints
{
    public static IEndpointRouteBuilder MapGalleryEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/galleries").RequireAuthorization().CheckContentTypeInEndpoint();
        api.MapGet("/", async (ClaimsPrincipal user, GalleryService galleries, CancellationToken ct) =>
            TypedResults.Ok(await galleries.ListAsync(Me(user), ct)));
        api.MapPost("/", CreateAsync);
        api.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, GalleryService galleries, CancellationToken ct) =>
            await galleries.GetAsync(Me(user), id, ct) is { } gallery ? Results.Ok(gallery) : Results.NotFound());
        api.MapPatch("/{id:guid}", UpdateAsync);
        api.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, GalleryService galleries, CancellationToken ct) =>
            await galleries.DeleteAsync(Me(user), id, ct) ? Results.Ok() : Results.NotFound());
        api.MapPost("/{id:guid}/move", async (Guid id, GalleryMove body, ClaimsPrincipal user, GalleryService galleries, CancellationToken ct) =>
            await galleries.MoveAsync(Me(user), id, body.Index, ct) ? Results.Ok() : Results.NotFound());
        api.MapPut("/{id:guid}/images/{imageId:guid}", AddImageAsync);
        api.MapDelete("/{id:guid}/images/{imageId:guid}", async (Guid id, Guid imageId, ClaimsPrincipal user, GalleryService galleries, CancellationToken ct) =>
            await galleries.RemoveImageAsync(Me(user), id, imageId, ct) ? Results.Ok() : Results.NotFound());
        api.MapPost("/{id:guid}/images/{imageId:guid}/move", async (Guid id, Guid imageId, GalleryMove body, ClaimsPrincipal user, GalleryService galleries, CancellationToken ct) =>
            await galleries.MoveImageAsync(Me(user), id, imageId, body.Index, ct) ? Results.Ok() : Results.NotFound());
        api.MapPut("/{id:guid}/threads/{threadId:guid}", AddThreadAsync);
        api.MapDelete("/{id:guid}/threads/{threadId:guid}", async (Guid id, Guid threadId, ClaimsPrincipal user, GalleryService galleries, CancellationToken ct) =>
            await galleries.RemoveThreadAsync(Me(user), id, threadId, ct) ? Results.Ok() : Results.NotFound());
        api.MapPut("/{id:guid}/cover/{imageId:guid}", async (Guid id, Guid imageId, ClaimsPrincipal user, GalleryService galleries, CancellationToken ct) =>
            await galleries.SetCoverAsync(Me(user), id, imageId, ct) ? Results.Ok() : Results.NotFound());
        return app;
    }

    private static string Me(ClaimsPrincipal user) => JobAccess.UserId(user)!;

    private static async Task<IResult> CreateAsync(GalleryEdit body, ClaimsPrincipal user, GalleryService galleries, CancellationToken ct)
    {
        try
        {
            var created = await galleries.CreateAsync(Me(user), body.Name ?? "", body.Description, ct);
            return TypedResults.Created($"/api/galleries/{created.Id}", created);
        }
        catch (FieldValidationException e)
        {
            return e.ToValidationProblem();
        }
    }

    private static async Task<IResult> UpdateAsync(Guid id, GalleryEdit body, ClaimsPrincipal user, GalleryService galleries, CancellationToken ct)
    {
        try
        {
            return await galleries.UpdateAsync(Me(user), id, body.Name, body.Description, ct) ? TypedResults.Ok() : TypedResults.NotFound();
        }
        catch (FieldValidationException e)
        {
            return e.ToValidationProblem();
        }
    }

    private static async Task<IResult> AddImageAsync(Guid id, Guid imageId, ClaimsPrincipal user, GalleryService galleries, CancellationToken ct) =>
        await galleries.AddImageAsync(Me(user), id, imageId, ct) switch
        {
            AddImageOutcome.Added => TypedResults.Created($"/api/galleries/{id}", new { added = imageId }),
            AddImageOutcome.AlreadyThere => TypedResults.Ok(new { added = imageId }),
            _ => TypedResults.NotFound(),
        };

    private static async Task<IResult> AddThreadAsync(Guid id, Guid threadId, ClaimsPrincipal user, GalleryService galleries, CancellationToken ct) =>
        await galleries.AddThreadAsync(Me(user), id, threadId, ct) switch
        {
            AddImageOutcome.Added => TypedResults.Created($"/api/galleries/{id}", new { added = threadId }),
            AddImageOutcome.AlreadyThere => TypedResults.Ok(new { added = threadId }),
            _ => TypedResults.NotFound(),
        };
}

public sealed record GalleryEdit(string? Name, string? Description);

public sealed record GalleryMove(int Index);
