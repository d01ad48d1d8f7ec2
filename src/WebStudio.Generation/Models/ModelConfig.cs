using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebStudio.Generation.Models;

/// <summary>
/// The figures a pipeline needs from a model folder's JSON files: model_index.json (required),
/// unet/config.json and vae_decoder/config.json (optional; exporters do not always copy them).
/// Defaults are SD 1.5's.
/// </summary>
public sealed record ModelConfig
{
    public const float DefaultScalingFactor = 0.18215f;

    /// <summary>The diffusers pipeline class named by model_index.json.</summary>
    public string PipelineClass { get; init; } = "";

    /// <summary>Latents are multiplied by this after encoding and divided by it before decoding.</summary>
    public float ScalingFactor { get; init; } = DefaultScalingFactor;

    /// <summary>Pixels per latent cell along each side (8 for SD).</summary>
    public int VaeScaleFactor { get; init; } = 8;

    /// <summary>The latent side the UNet was trained at, or null when the folder does not say.</summary>
    public int? SampleSize { get; init; }

    /// <summary>Width of the guidance-scale embedding of LCM UNets (0 when the UNet has none).</summary>
    public int TimeCondProjDim { get; init; }

    public int NativeSize => (SampleSize ?? 64) * VaeScaleFactor;

    public static ModelConfig Read(string folder)
    {
        var index = ReadJson(folder, "model_index.json", required: true)!;
        var unet = ReadJson(folder, Path.Combine("unet", "config.json"), required: false);
        var vae = ReadJson(folder, Path.Combine("vae_decoder", "config.json"), required: false);

        var blockChannels = vae?["block_out_channels"] as JsonArray;
        var scaling = Number(vae, "scaling_factor") ?? Number(index, "vae_scaling_factor") ?? DefaultScalingFactor;
        var sampleSize = Number(unet, "sample_size") is { } s ? (int)s : (int?)null;
        return new ModelConfig
        {
            PipelineClass = index["_class_name"]?.GetValue<string>() ?? "",
            ScalingFactor = (float)scaling,
            VaeScaleFactor = blockChannels is { Count: > 0 } ? 1 << (blockChannels.Count - 1) : 8,
            SampleSize = sampleSize,
            TimeCondProjDim = Number(unet, "time_cond_proj_dim") is { } t ? (int)t : 0,
        };
    }

    internal static double? Number(JsonNode? node, string key) =>
        node?[key] is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;

    internal static JsonObject? ReadJson(string folder, string relative, bool required)
    {
        var path = Path.Combine(folder, relative);
        if (!File.Exists(path))
        {
            return required ? throw new ModelLoadException($"The model folder has no {relative}.") : null;
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new ModelLoadException($"{relative} must hold a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"{relative} is not valid JSON: {ex.Message}", ex);
        }
    }
}
