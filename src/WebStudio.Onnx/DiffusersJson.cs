using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebStudio.Onnx;

/// <summary>
/// The config files of a diffusers folder (model_index.json, scheduler and component configs) as diffusers writes
/// them: indented, unescaped, "\n" line ends, so that written folders are byte-identical on every platform.
/// </summary>
public static class DiffusersJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, JsonNode node)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, node.ToJsonString(Options) + "\n");
    }

    public static JsonArray Ints(params IEnumerable<int> values) => new([.. values.Select(v => (JsonNode)v)]);

    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    /// <summary>A model_index.json entry: [library, class name], both null for an absent part.</summary>
    public static JsonArray Pair(string? library, string? className) => new(library, className);

    /// <summary>The scheduler_config.json of Stable Diffusion 1.x (as in runwayml/stable-diffusion-v1-5), under the
    /// given scheduler class.</summary>
    public static JsonObject StableDiffusionScheduler(string className, string diffusersVersion) => new()
    {
        ["_class_name"] = className,
        ["_diffusers_version"] = diffusersVersion,
        ["beta_end"] = 0.012,
        ["beta_schedule"] = "scaled_linear",
        ["beta_start"] = 0.00085,
        ["clip_sample"] = false,
        ["num_train_timesteps"] = 1000,
        ["prediction_type"] = "epsilon",
        ["set_alpha_to_one"] = false,
        ["skip_prk_steps"] = true,
        ["steps_offset"] = 1,
        ["trained_betas"] = null,
    };
}
