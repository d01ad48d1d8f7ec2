using System.Globalization;

namespace WebStudio.Web.Api;

/// <summary>
/// What WebStudio tells an API client beside OpenAI's answer, in headers (OpenAI's shape has no field for it and
/// clients ignore headers they do not know): the seed used, so that a script can reproduce its image.
/// </summary>
public static class ApiResponseHeaders
{
    /// <summary>The seed of the first image; image i of the answer has this seed plus i.</summary>
    public const string Seed = "X-WebStudio-Seed";

    public static void Add(HttpResponse response, ApiSubmission submission)
    {
        response.Headers[Seed] = submission.Seed.ToString(CultureInfo.InvariantCulture);
    }
}
