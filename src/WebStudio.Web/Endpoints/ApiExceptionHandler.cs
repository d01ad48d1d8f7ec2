using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using WebStudio.Web.Api;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Endpoints;

/// <summary>
/// An exception that escapes an API endpoint: a refused request (<see cref="BadHttpRequestException"/>) becomes its
/// 4xx naming the field, anything else a 500 whose body says only that the server failed (the detail is logged).
/// Other failures of pages are left to the error page.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, IOptions<JsonOptions> json) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        // The middleware has already pointed the request at the error page: the original path and endpoint are here.
        var original = context.Features.Get<IExceptionHandlerFeature>();
        var path = original?.Path ?? context.Request.Path.Value ?? "";
        // A page request that cannot be bound (/s/{token}/images/{id}?download=maybe) is refused too, not a server error.
        if (!ErrorResponses.IsApi(path) && exception is not BadHttpRequestException)
        {
            return false;
        }

        var failure = exception is BadHttpRequestException bad
            ? BindingFailure.Describe(bad, original?.Endpoint, json.Value.SerializerOptions)
            : new BindingFailure(StatusCodes.Status500InternalServerError, null, "The server had an error while processing your request.");
        context.Response.StatusCode = failure.Status;

        if (new PathString(path).StartsWithSegments("/v1"))
        {
            var code = failure.Status >= 500 ? "server_error" : failure.Field is null ? "invalid_request" : "invalid_value";
            await OpenAIError.Result(context, new ApiException(failure.Status, failure.Message, failure.Field, code)).ExecuteAsync(context);
            return true;
        }

        var details = failure.Field is { } field
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [failure.Message] })
            : new Microsoft.AspNetCore.Mvc.ProblemDetails();
        details.Status = failure.Status;
        details.Detail = failure.Message;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = exception });
    }
}
