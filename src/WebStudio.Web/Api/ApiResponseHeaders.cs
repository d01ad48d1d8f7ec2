using System.Globalization;

namespace WebStudio.Web.Api;

/// <summary>
/// What WebStudio tells an API client beside OpenAI's answer, in headers (OpenAI's shape has no field for it and
/// clients ignore headers they do not know): the seed used, so that a script can reproduce its image, and
/// warnings, such as the prompt's words that the model's card says it does not know.
/// </summary>
public static class ApiResponseHeaders
{
    /// <summary>The seed of the first image; image i of the answer has this seed plus i (a varied answer's all have it).</summary>
    public const string Seed = "X-WebStudio-Seed";

    /// <summary>A varied answer's variation seed of the first image (A1111's); image i has this plus i.</summary>
    public const string VariationSeed = "X-WebStudio-Variation-Seed";

    /// <summary>Warnings about the request that did not stop it, e.g.
    /// <c>unknown words for model 'webstudio-shapes': heart, cat</c>. Words outside printable ASCII (which a header
    /// cannot hold) are percent-encoded as in a URL.</summary>
    public const string Warnings = "X-WebStudio-Warnings";

    public static void Add(HttpResponse response, ApiSubmission submission, string model, IReadOnlyList<string> unknownWords)
    {
        response.Headers[Seed] = submission.Seed.ToString(CultureInfo.InvariantCulture);
        if (submission.VariationSeed is { } variation)
        {
            response.Headers[VariationSeed] = variation.ToString(CultureInfo.InvariantCulture);
        }
        if (unknownWords.Count > 0)
        {
            response.Headers[Warnings] = $"unknown words for model '{HeaderSafe(model)}': {string.Join(", ", unknownWords.Select(HeaderSafe))}";
        }
    }

    private static string HeaderSafe(string text) =>
        text.All(c => c is >= ' ' and <= '~' and not ',' and not '%' and not '\'') ? text : Uri.EscapeDataString(text);
}
