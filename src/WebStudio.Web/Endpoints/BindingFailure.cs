using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;

namespace WebStudio.Web.Endpoints;

/// <summary>
/// Why a request could not be bound to an endpoint's parameters, in words that name the field and what it must be:
/// the platform's own <see cref="BadHttpRequestException"/> names the parameter only in its message, and its JSON
/// errors name CLR types.
/// </summary>
public sealed partial record BindingFailure(int Status, string? Field, string Message)
{
    public static BindingFailure Describe(BadHttpRequestException exception, Endpoint? endpoint, JsonSerializerOptions json)
    {
        switch (exception.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                return new(exception.StatusCode, null, "The request body is too large.");
            case StatusCodes.Status415UnsupportedMediaType:
                var accepted = endpoint?.Metadata.GetOrderedMetadata<IAcceptsMetadata>().SelectMany(a => a.ContentTypes).Distinct().ToList() ?? [];
                var expected = accepted.Count > 0 ? string.Join(" or ", accepted) : "a supported media type";
                return new(exception.StatusCode, "Content-Type", $"Content-Type must be {expected}.");
        }

        var match = ParameterPattern().Match(exception.Message);
        var name = match.Success ? match.Groups["name"].Value : null;
        var type = ParameterType(endpoint, name);
        if (exception.InnerException is JsonException jsonError)
        {
            return FromJson(jsonError, type, json);
        }

        if (!match.Success)
        {
            return new(exception.StatusCode, null, "The request could not be read: it is malformed or ended early.");
        }

        if (exception.Message.StartsWith("Implicit body", StringComparison.Ordinal) || exception.Message.Contains("from body", StringComparison.Ordinal))
        {
            return new(exception.StatusCode, "body", "A JSON body is required.");
        }

        return match.Groups["value"].Success
            ? new(exception.StatusCode, name, $"'{name}' must be {Expected(type)}; '{Shorten(match.Groups["value"].Value)}' was given.")
            : new(exception.StatusCode, name, $"'{name}' is required.");
    }

    private static BindingFailure FromJson(JsonException error, Type? bodyType, JsonSerializerOptions json)
    {
        var field = FieldOf(error.Path);
        var where = $"line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1}";
        if (error.InnerException is JsonException)
        {
            // The reader's own complaint (truncated, malformed, nested too deep): it describes the text, not the code.
            var reason = error.InnerException.Message.Split(" LineNumber:")[0].TrimEnd(' ', '.');
            return new(StatusCodes.Status400BadRequest, field ?? "body", $"The JSON body is not valid at {where}: {reason}.");
        }

        if (field is null)
        {
            return new(StatusCodes.Status400BadRequest, "body", $"The body must be a JSON object ({where}).");
        }

        var properties = bodyType is null ? null : json.GetTypeInfo(bodyType).Properties
            .Where(p => p.AttributeProvider?.IsDefined(typeof(JsonIgnoreAttribute), inherit: true) != true).ToList();
        var property = properties?.FirstOrDefault(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase));
        if (properties is not null && property is null)
        {
            return new(StatusCodes.Status400BadRequest, field, $"'{Shorten(field)}' is not a field of this request; the fields are {string.Join(", ", properties.Select(p => p.Name))}.");
        }

        return new(StatusCodes.Status400BadRequest, field, $"'{field}' must be {Expected(property?.PropertyType)} ({where}).");
    }

    /// <summary>The top-level field of a JSON path: "$.steps" and "$.prompt[0]" are "steps" and "prompt".</summary>
    private static string? FieldOf(string? path)
    {
        if (path is null || !path.StartsWith("$.", StringComparison.Ordinal) && !path.StartsWith("$['", StringComparison.Ordinal))
        {
            return null;
        }

        if (path[1] == '[')
        {
            var end = path.IndexOf("']", 3, StringComparison.Ordinal);
            return end < 0 ? null : path[3..end];
        }

        var rest = path[2..];
        var stop = rest.IndexOfAny(['.', '[']);
        return stop < 0 ? rest : rest[..stop];
    }

    private static Type? ParameterType(Endpoint? endpoint, string? name) =>
        name is null ? null : endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name)?.ParameterType;

    private static string Expected(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => "a valid value",
            _ when type == typeof(string) => "a string of valid Unicode text (UTF-8, no lone surrogates)",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
            _ when type == typeof(float) || type == typeof(double) || type == typeof(decimal) => "a finite number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(Guid) => "an id (a GUID)",
            _ when type == typeof(DateOnly) => "a date (YYYY-MM-DD)",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "a date and time (ISO 8601)",
            { IsEnum: true } => $"one of {string.Join(", ", Enum.GetNames(type))}",
            _ => "a valid value",
        };
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    // The platform's wording: Failed to bind parameter "Nullable<int> take" from "abc". / Required parameter "T name"
    // was not provided from query string. / Failed to read parameter "T name" from the request body as JSON.
    [GeneratedRegex("""parameter "(?:[^"]* )?(?<name>[^" ]+)"(?: from "(?<value>.*)"\.$)?""", RegexOptions.NonBacktracking | RegexOptions.Singleline)]
    private static partial Regex ParameterPattern();
}
