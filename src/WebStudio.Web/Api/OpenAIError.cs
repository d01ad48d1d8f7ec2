using System.Globalization;
using System.Text.Json.Serialization;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Api;

/// <summary>OpenAI's error body: <c>{"error":{"message","type","param","code"}}</c>; param and code may be null.</summary>
public sealed record OpenAIError([property: JsonPropertyName("error")] OpenAIErrorBody Error)
{
    public static OpenAIError From(ApiException ex) => new(new OpenAIErrorBody(ex.Message, ex.Type, ex.Param, ex.Code));

    /// <summary>The error as an HTTP result, with Retry-After on a 429.</summary>
    public static IResult Result(HttpContext context, ApiException ex)
    {
        if (ex.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return TypedResults.Json(From(ex), ApiJson.Options, statusCode: ex.Status);
    }
}

public sealed record OpenAIErrorBody(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
    [property: JsonPropertyName("code"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Code);
