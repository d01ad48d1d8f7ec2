using System.Security.Claims;
using WebStudio.Studio;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Styles;
using WebStudio.Web.Endpoints;

namespace WebStudio.Web.Styles;

/// <summary>Prompt styles over HTTP for scripts and tests; the Generate form calls <see cref="PromptStyleService"/>
/// directly. POST saves by name: a name the caller already has is replaced (200), a new one is created (201).</summary>
public static class PromptStyleEndpoints
{
    public static IEndpointRouteBuilder MapPromptStyleEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/styles").RequireAuthorization().CheckContentTypeInEndpoint();
        api.MapGet("/", async (ClaimsPrincipal user, PromptStyleService styles, CancellationToken ct) =>
            TypedResults.Ok(await styles.ListAsync(Me(user), ct)));
        api.MapPost("/", SaveAsync);
        api.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, PromptStyleService styles, CancellationToken ct) =>
            await styles.DeleteAsync(Me(user), id, ct) ? Results.Ok() : Results.NotFound());
        return app;
    }

    private static string Me(ClaimsPrincipal user) => JobAccess.UserId(user)!;

    private static async Task<IResult> SaveAsync(PromptStyleEdit body, ClaimsPrincipal user, PromptStyleService styles, CancellationToken ct)
    {
        try
        {
            var (saved, created) = await styles.SaveAsync(Me(user), body.Name, body.Prompt, body.NegativePrompt, ct);
            return created ? TypedResults.Created($"/api/styles/{saved.Id}", saved) : TypedResults.Ok(saved);
        }
        catch (FieldValidationException e)
        {
            return e.ToValidationProblem();
        }
    }
}

public sealed record PromptStyleEdit(string? Name, string? Prompt, string? NegativePrompt);
