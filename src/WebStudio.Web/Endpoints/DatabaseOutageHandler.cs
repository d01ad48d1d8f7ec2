using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using WebStudio.Data;
using WebStudio.Web.Api;

namespace WebStudio.Web.Endpoints;

/// <summary>
/// A request that failed because the database cannot be reached (<see cref="DatabaseOutage"/>) is answered 503 with
/// Retry-After, in every shape: /v1 in OpenAI's error shape, /api and /hubs as problem details, pages with a plain
/// "service unavailable" page written here, without the layout, the database or anything else that might fail too.
/// </summary>
internal sealed class DatabaseOutageHandler(IProblemDetailsService problems, ILogger<DatabaseOutageHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseOutage.IsOutage(exception))
        {
            return false;
        }

        logger.LogWarning("{Method} {Path} answered 503: the database cannot be reached ({Error})", context.Request.Method, context.Request.Path, exception.GetBaseException().Message);
        var path = context.Features.Get<IExceptionHandlerFeature>()?.Path ?? context.Request.Path.Value ?? "";
        var seconds = (int)DatabaseOutage.RetryAfter.TotalSeconds;
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";

        if (new PathString(path).StartsWithSegments("/v1"))
        {
            var error = new ApiException(StatusCodes.Status503ServiceUnavailable, DatabaseOutage.Message, code: "service_unavailable") { RetryAfterSeconds = seconds };
            await OpenAIError.Result(context, error).ExecuteAsync(context);
            return true;
        }

        if (ErrorResponses.IsApi(path))
        {
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "Service Unavailable", Detail = DatabaseOutage.Message },
                Exception = exception,
            });
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Page, cancellationToken);
        return true;
    }

    /// <summary>The page: the same words as the API's, a link to try again, the studio's own stylesheet only.</summary>
    private static readonly string Page = $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1.0" />
            <title>Service unavailable - WebStudio</title>
            <link rel="stylesheet" href="/assets/css/studio.css" />
        </head>
        <body>
            <main class="service-unavailable">
                <h1>Service unavailable</h1>
                <p>{System.Net.WebUtility.HtmlEncode(DatabaseOutage.Message)}</p>
                <p><a href="">Try again</a></p>
            </main>
        </body>
        </html>
        """;
}
