using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using WebStudio.Web.Api;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Endpoints;

/// <summary>
/// How errors are answered, the same in every environment: /v1 in OpenAI's error shape, /api and /hubs as problem
/// details that name the field, pages with the friendly error and not-found pages. No API call ever gets an HTML page.
/// </summary>
public static class ErrorResponses
{
    public static IServiceCollection AddErrorResponses(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<DatabaseOutageHandler>(); // first: an outage is a 503 on every path
        services.AddExceptionHandler<ApiExceptionHandler>();

        // Binding failures throw (by default only in Development), so that the handler can name the field.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        // A field the request type does not have is refused by name, as /v1 refuses it, instead of being ignored.
        services.Configure<JsonOptions>(options => options.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow);
        return services;
    }

    public static WebApplication UseErrorResponses(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/Error",
            CreateScopeForErrors = true,

            // A refused request is the caller's mistake, answered in full; it is not logged as a server error.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });

        // Pages get the friendly not-found page; an API call that ends in a bare error status gets a body that names
        // the status (a browser opening a dead image link then reads "Not Found", not an empty error).
        // The pages' handler is outermost and not in a branch: a branch has no routing of its own, so its re-executed
        // request would reach no page and end as an empty 404. API calls are answered by the handlers within it,
        // and a response with a body is left as it is.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);

        // Only a GET is answered with the page: the re-executed request keeps its method, which the page does not
        // take (a PUT would read 405, a POST fail the form's antiforgery check), so others keep their own status.
        app.Use((context, next) =>
        {
            if (!HttpMethods.IsGet(context.Request.Method) && context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            return next(context);
        });
        app.UseWhen(context => IsProblemApi(context.Request.Path), branch => branch.UseStatusCodePages());
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/v1"), branch => branch.UseStatusCodePages(async status =>
        {
            var http = status.HttpContext;
            var code = http.Response.StatusCode;
            await OpenAIError.Result(http, new ApiException(code, $"{ReasonPhrases.GetReasonPhrase(code)} ({http.Request.Method} {http.Request.Path}).")).ExecuteAsync(http);
        }));
        return app;
    }

    /// <summary>/api and /hubs: answered with problem details.</summary>
    internal static bool IsProblemApi(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs");

    internal static bool IsApi(string path) => IsProblemApi(path) || new PathString(path).StartsWithSegments("/v1");
}
