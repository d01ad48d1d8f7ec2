using System.Text.Json.Serialization;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Api;

/// <summary>The body of a non-streamed Images API answer, with OpenAI's field names.</summary>
public sealed record ImagesResponse(
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("data")] IReadOnlyList<ImageData> Data,
    [property: JsonPropertyName("size")] string Size,
    [property: JsonPropertyName("quality")] string Quality,
    [property: JsonPropertyName("output_format")] string OutputFormat,
    [property: JsonPropertyName("background")] string Background,
    [property: JsonPropertyName("usage")] ImageUsage Usage);

public sealed record ImageData(
    [property: JsonPropertyName("b64_json")] string? B64Json,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("revised_prompt")] string? RevisedPrompt);

/// <summary>
/// OpenAI's usage block. There are no tokens here, so the counts measure the work: input text tokens are the
/// prompt's words, input image tokens one per uploaded image, and output tokens the denoising steps run for
/// all images (steps × n, read from the jobs' usage records: ApiImageService.UsageAsync).
/// </summary>
public sealed record ImageUsage(
    [property: JsonPropertyName("total_tokens")] int TotalTokens,
    [property: JsonPropertyName("input_tokens")] int InputTokens,
    [property: JsonPropertyName("output_tokens")] int OutputTokens,
    [property: JsonPropertyName("input_tokens_details")] InputTokenDetails InputTokensDetails)
{
    public static ImageUsage For(ImageRequest request, int output)
    {
        var text = request.Prompt.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        var images = request.Image is null ? 0 : 1;
        return new ImageUsage(text + images + output, text + images, output, new InputTokenDetails(text, images));
    }
}

public sealed record InputTokenDetails(
    [property: JsonPropertyName("text_tokens")] int TextTokens,
    [property: JsonPropertyName("image_tokens")] int ImageTokens);

/// <summary>The data of a streamed partial_image or completed event.</summary>
public sealed record ImageStreamEvent(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("b64_json")] string B64Json,
    [property: JsonPropertyName("created_at")] long CreatedAt,
    [property: JsonPropertyName("size")] string Size,
    [property: JsonPropertyName("quality")] string Quality,
    [property: JsonPropertyName("background")] string Background,
    [property: JsonPropertyName("output_format")] string OutputFormat,
    [property: JsonPropertyName("partial_image_index")] int? PartialImageIndex = null,
    [property: JsonPropertyName("usage")] ImageUsage? Usage = null);

/// <summary>GET /v1/models.</summary>
public sealed record ModelList(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("data")] IReadOnlyList<ModelInfo> Data);

public sealed record ModelInfo(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("owned_by")] string OwnedBy);
