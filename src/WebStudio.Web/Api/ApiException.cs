using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;
namespace WebStudio.Web.Api;

/// <summary>
/// A refused API request, answered in OpenAI's error shape. Thrown from parsing and validation so that every
/// path through an endpoint ends in one place that writes the error.
/// </summary>
public sealed class ApiException(int status, string message, string? param = null, string? code = null, string? type = null)
    : Exception(message)
{
    public int Status { get; } = status;
    public string? Param { get; } = param;
    public string? Code { get; } = code;

    /// <summary>OpenAI's error "type": invalid_request_error for most, authentication and rate-limit errors apart.</summary>
    public string Type { get; } = type ?? status switch
    {
        StatusCodes.Status401Unauthorized => "invalid_request_error",
        StatusCodes.Status429TooManyRequests => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    /// <summary>Seconds for the Retry-After header of a 429.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static ApiException BadField(string param, string message, string code = "invalid_value") =>
        new(StatusCodes.Status400BadRequest, message, param, code);
}
