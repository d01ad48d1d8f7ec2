using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using WebStudio.Generation.Imaging;
using WebStudio.Generation.Pipelines;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Api;

/// <summary>
/// Reads an Images API request — JSON for generations, multipart for edits and variations — into an
/// <see cref="ImageRequest"/>, or throws an <see cref="ApiException"/> that names the offending field. Every
/// OpenAI parameter is either understood, accepted and ignored (listed below), or refused by name, as OpenAI does.
/// </summary>
public static partial class ImageRequestParser
{
    public const int MaxN = 10;
    public const int MaxUserLength = 256;
    public const long MaxJsonBytes = 1024 * 1024;

    private static readonly string[] Generation =
        ["prompt", "model", "n", "size", "quality", "response_format", "output_format", "output_compression", "background", "user", "stream", "partial_images", "moderation", "style", .. ExtensionFields];

    private static readonly string[] Edit =
        ["image", "image[]", "mask", "prompt", "model", "n", "size", "quality", "response_format", "output_format", "output_compression", "background", "user", "stream", "partial_images", "input_fidelity", .. ExtensionFields];

    private static readonly string[] Variation = ["image", "model", "n", "size", "response_format", "user", .. ExtensionFields];

    public static async Task<ImageRequest> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!(request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(StatusCodes.Status400BadRequest,
                "The request body must be JSON, sent with 'Content-Type: application/json'.", null, "invalid_content_type");
        }

        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > MaxJsonBytes)
            {
                throw new ApiException(StatusCodes.Status413PayloadTooLarge,
                    $"The JSON body is larger than {MaxJsonBytes / 1024} KB.", null, "request_too_large");
            }
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw new ApiException(StatusCodes.Status400BadRequest,
                $"We could not parse the JSON body of your request: {ex.Message}", null, "invalid_json");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ApiException(StatusCodes.Status400BadRequest, "The request body must be a JSON object.", null, "invalid_json");
            }

            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                RefuseUnknown(Text(property, p => p.Name, "a field name"), Generation);
                if (!fields.TryAdd(property.Name, property.Value.Clone()))
                {
                    throw ApiException.BadField(property.Name, $"'{property.Name}' is given twice.", "duplicate_parameter");
                }
            }

            var source = new JsonFields(fields);
            return Extensions(source, Common(source, ImageOperation.Generation) with { Prompt = Prompt(source) });
        }
    }

    public static async Task<ImageRequest> ReadFormAsync(HttpRequest request, ImageOperation operation, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            throw new ApiException(StatusCodes.Status400BadRequest,
                "The request body must be multipart/form-data with the image as a file field.", null, "invalid_content_type");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException || (ex is IOException and not BadHttpRequestException && !cancellationToken.IsCancellationRequested))
        {
            // A malformed or truncated multipart body: the boundary is wrong, a part ends early, or there are too many parts.
            throw new ApiException(StatusCodes.Status400BadRequest, $"The multipart body could not be read: {ex.Message}", null, "invalid_multipart");
        }
        catch (ArgumentException)
        {
            // ASP.NET's form reader throws this on a part header it cannot parse (a "filename*" without a value).
            throw new ApiException(StatusCodes.Status400BadRequest,
                "The multipart body could not be read: a part's Content-Disposition header is malformed.", null, "invalid_multipart");
        }

        var allowed = operation == ImageOperation.Edit ? Edit : Variation;
        foreach (var key in form.Keys.Concat(form.Files.Select(f => f.Name)).Distinct())
        {
            RefuseUnknown(key, allowed);
        }

        var source = new FormFields(form);
        var images = form.Files.Where(f => f.Name is "image" or "image[]").ToList();
        if (images.Count == 0)
        {
            var text = form.ContainsKey("image") || form.ContainsKey("image[]");
            throw ApiException.BadField("image", text
                ? "'image' must be sent as a file, not as a text field."
                : "Missing required parameter: 'image' (a PNG, JPEG or WebP file).", text ? "invalid_type" : "missing_required_parameter");
        }

        if (images.Count > 1)
        {
            throw ApiException.BadField("image", "Only one image can be edited at a time.");
        }

        var mask = form.Files.Where(f => f.Name == "mask").ToList();
        if (form.ContainsKey("mask"))
        {
            throw ApiException.BadField("mask", "'mask' must be sent as a file, not as a text field.", "invalid_type");
        }

        if (mask.Count > 1)
        {
            throw ApiException.BadField("mask", "Only one mask can be sent.");
        }

        var common = Common(source, operation) with
        {
            Image = await ReadFileAsync(images[0], "image", cancellationToken),
            Mask = mask.Count == 1 ? await ReadFileAsync(mask[0], "mask", cancellationToken) : null,
        };
        // A variation has no prompt, but takes the same extension fields (a seed reproduces it).
        return Extensions(source, operation == ImageOperation.Edit ? common with { Prompt = Prompt(source) } : common);
    }

    private static ImageRequest Common(IFields fields, ImageOperation operation)
    {
        var stream = fields.Bool("stream") ?? false;
        var request = new ImageRequest
        {
            Operation = operation,
            Model = fields.String("model") is { } model ? NotBlank("model", model) : null,
            N = fields.Int("n") ?? 1,
            Size = ParseSize(fields.String("size")),
            Quality = OneOf(fields, "quality", ApiQuality.Names) ?? "auto",
            ResponseFormat = OneOf(fields, "response_format", ["b64_json", "url"]) ?? "b64_json",
            OutputFormat = OneOf(fields, "output_format", ["png", "jpeg", "webp"]) ?? "png",
            OutputCompression = fields.Int("output_compression"),
            Background = OneOf(fields, "background", ["opaque", "auto", "transparent"]) ?? "auto",
            User = fields.String("user"),
            Stream = stream,
            PartialImages = fields.Int("partial_images") ?? 0,
        };

        OneOf(fields, "moderation", ["low", "auto"]);
        OneOf(fields, "style", ["vivid", "natural"]);
        OneOf(fields, "input_fidelity", ["low", "high"]);

        if (request.N is < 1 or > MaxN)
        {
            throw ApiException.BadField("n", $"'n' must be between 1 and {MaxN}; {request.N} was given.", "integer_out_of_range");
        }

        if (request.OutputCompression is < 0 or > 100)
        {
            throw ApiException.BadField("output_compression", $"'output_compression' must be between 0 and 100; {request.OutputCompression} was given.", "integer_out_of_range");
        }

        if (request.PartialImages is < 0 or > 3)
        {
            throw ApiException.BadField("partial_images", $"'partial_images' must be between 0 and 3; {request.PartialImages} was given.", "integer_out_of_range");
        }

        if (request.Background == "transparent")
        {
            throw ApiException.BadField("background",
                "Transparent backgrounds are not supported: the models paint every pixel. Use 'opaque' or 'auto'.", "unsupported_value");
        }

        if (request.User is { Length: > MaxUserLength })
        {
            throw ApiException.BadField("user", $"'user' must be at most {MaxUserLength} characters.", "string_above_max_length");
        }

        return request;
    }

    private static string Prompt(IFields fields)
    {
        var prompt = fields.String("prompt");
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw ApiException.BadField("prompt", "Missing required parameter: 'prompt'.", "missing_required_parameter");
        }

        if (prompt.Length > GenerationRequest.MaxPromptLength)
        {
            throw ApiException.BadField("prompt",
                $"'prompt' is {prompt.Length:N0} characters; at most {GenerationRequest.MaxPromptLength:N0} are accepted.", "string_above_max_length");
        }

        return prompt;
    }

    /// <summary>"auto" (null) or "WxH" within the generation limits.</summary>
    public static (int Width, int Height)? ParseSize(string? size)
    {
        if (size is null || size == "auto")
        {
            return null;
        }

        var match = SizePattern().Match(size);
        if (!match.Success
            || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var height))
        {
            throw ApiException.BadField("size", $"'size' must be 'auto' or WIDTHxHEIGHT such as '512x512'; '{Shorten(size)}' was given.");
        }

        if (!ValidSide(width) || !ValidSide(height))
        {
            throw ApiException.BadField("size", string.Create(CultureInfo.InvariantCulture,
                $"'size' {width}x{height} is not supported: width and height must each be {GenerationRequest.MinSize} to {GenerationRequest.MaxSize} and a multiple of {GenerationRequest.SizeMultiple}."));
        }

        return (width, height);
    }

    private static bool ValidSide(int side) =>
        side is >= GenerationRequest.MinSize and <= GenerationRequest.MaxSize && side % GenerationRequest.SizeMultiple == 0;

    private static string? OneOf(IFields fields, string name, IReadOnlyList<string> allowed)
    {
        var value = fields.String(name);
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            throw ApiException.BadField(name, $"Invalid value for '{name}': '{Shorten(value)}'. Supported values are: {string.Join(", ", allowed.Select(a => $"'{a}'"))}.");
        }

        return value;
    }

    private static string NotBlank(string name, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw ApiException.BadField(name, $"'{name}' must not be empty.") : value;

    private static void RefuseUnknown(string name, IReadOnlyList<string> allowed)
    {
        if (name.Length == 0)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, "A field of the request has no name.", null, "unknown_parameter");
        }

        if (!allowed.Contains(name, StringComparer.Ordinal))
        {
            throw ApiException.BadField(Shorten(name), $"Unrecognized request argument supplied: {Shorten(name)}", "unknown_parameter");
        }
    }

    private static async Task<byte[]> ReadFileAsync(IFormFile file, string name, CancellationToken cancellationToken)
    {
        var limit = ImageUploadLimits.Default.MaxBytes;
        if (file.Length > limit)
        {
            throw new ApiException(StatusCodes.Status413PayloadTooLarge,
                $"The {name} file is larger than {limit / (1024 * 1024)} MB, the most that is accepted.", name, "file_too_large");
        }

        using var memory = new MemoryStream((int)file.Length);
        await file.CopyToAsync(memory, cancellationToken);
        return memory.ToArray();
    }

    /// <summary>JSON text as a string; invalid UTF-8 and lone surrogates (which .NET cannot hold as text) are refused by name.</summary>
    private static string Text<T>(T source, Func<T, string> read, string what, string? param = null)
    {
        try
        {
            return read(source);
        }
        catch (InvalidOperationException)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, $"{what} is not valid Unicode text: it holds invalid UTF-8 or a lone surrogate.", param, "invalid_encoding");
        }
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    [GeneratedRegex(@"^(\d{1,6})x(\d{1,6})$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex SizePattern();

    /// <summary>Typed access to a request's fields, whether JSON values or multipart strings.</summary>
    private interface IFields
    {
        string? String(string name);
        int? Int(string name);
        long? Long(string name);
        double? Number(string name);
        bool? Bool(string name);
    }

    private sealed class JsonFields(Dictionary<string, JsonElement> fields) : IFields
    {
        public string? String(string name) => Get(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } value => Text(value, v => v.GetString()!, $"'{name}'", name),
            var value => throw WrongType(name, "a string", value.Value),
        };

        public int? Int(string name) => Get(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var number) => number,
            var value => throw WrongType(name, "an integer", value.Value),
        };

        public long? Long(string name) => Get(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out var number) => number,
            var value => throw WrongType(name, "an integer", value.Value),
        };

        public double? Number(string name) => Get(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Number } value when value.TryGetDouble(out var number) => number,
            var value => throw WrongType(name, "a number", value.Value),
        };

        public bool? Bool(string name) => Get(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            var value => throw WrongType(name, "a boolean", value.Value),
        };

        // JSON null means "not given", as OpenAI treats it.
        private JsonElement? Get(string name) =>
            fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        private static ApiException WrongType(string name, string expected, JsonElement value) =>
            ApiException.BadField(name, $"Invalid type for '{name}': expected {expected}, but got {Describe(value)}.", "invalid_type");

        private static string Describe(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Number => $"the number {Shorten(value.GetRawText())}",
            JsonValueKind.String => "a string",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Array => "an array",
            _ => "an object",
        };
    }

    private sealed class FormFields(IFormCollection form) : IFields
    {
        public string? String(string name)
        {
            if (form.Files.Any(f => f.Name == name))
            {
                throw ApiException.BadField(name, $"'{name}' must be a text field, not a file.", "invalid_type");
            }

            if (!form.TryGetValue(name, out var values))
            {
                return null;
            }

            return values.Count == 1 ? values[0] : throw ApiException.BadField(name, $"'{name}' is given {values.Count} times.", "duplicate_parameter");
        }

        public int? Int(string name) => String(name) is not { } text ? null
            : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number
            : throw ApiException.BadField(name, $"Invalid type for '{name}': expected an integer, but got '{Shorten(text)}'.", "invalid_type");

        public long? Long(string name) => String(name) is not { } text ? null
            : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number
            : throw ApiException.BadField(name, $"Invalid type for '{name}': expected an integer, but got '{Shorten(text)}'.", "invalid_type");

        public double? Number(string name) => String(name) is not { } text ? null
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number
            : throw ApiException.BadField(name, $"Invalid type for '{name}': expected a number, but got '{Shorten(text)}'.", "invalid_type");

        public bool? Bool(string name) => String(name) switch
        {
            null => null,
            "true" or "True" => true,
            "false" or "False" => false,
            var text => throw ApiException.BadField(name, $"Invalid type for '{name}': expected a boolean, but got '{Shorten(text)}'.", "invalid_type"),
        };
    }
}
