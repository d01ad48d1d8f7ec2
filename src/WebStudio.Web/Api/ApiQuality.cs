using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;
namespace WebStudio.Web.Api;

/// <summary>
/// OpenAI's <c>quality</c> as denoising steps: low 8, medium 20, high 40; auto is the studio's default of 20
/// steps (what the Generate page starts with). DALL·E's "standard" and "hd" map to medium and high, so older
/// clients work too.
/// </summary>
public static class ApiQuality
{
    public const int Low = 8, Medium = 20, High = 40, Auto = Medium;

    public static readonly IReadOnlyList<string> Names = ["low", "medium", "high", "auto", "standard", "hd"];

    public static int Steps(string quality) => quality switch
    {
        "low" => Low,
        "medium" or "standard" => Medium,
        "high" or "hd" => High,
        _ => Auto,
    };

    /// <summary>The quality reported back: auto is reported as the level it ran at, as OpenAI does.</summary>
    public static string Reported(string quality) => quality switch
    {
        "standard" or "auto" => "medium",
        "hd" => "high",
        _ => quality,
    };
}
