using System.Globalization;
using WebStudio.Data;

namespace WebStudio.Web.Storage;

/// <summary>
/// The text AUTOMATIC1111's web UI writes into a PNG's "parameters" chunk, in its exact layout: the prompt, a
/// "Negative prompt:" line (left out when empty, as A1111 does), then one line of "Key: value" pairs.
/// </summary>
public static class A1111Parameters
{
    public const string ChunkKeyword = "parameters";

    public static string Format(GenerationJob job, long seed, int width, int height)
    {
        var lines = new List<string> { job.Prompt };
        if (!string.IsNullOrEmpty(job.NegativePrompt))
        {
            lines.Add("Negative prompt: " + job.NegativePrompt);
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"Steps: {job.Steps}, Sampler: {job.Scheduler}, CFG scale: {job.Guidance:0.###}, Seed: {seed}, Size: {width}x{height}, Model: {job.Model}"));
        return string.Join('\n', lines);
    }
}
