using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;

namespace WebStudio.Generation.Previews;

/// <summary>What draws the denoising previews.</summary>
public enum PreviewDecoderMode
{
    /// <summary>A tiny autoencoder (TAESD) where one is found for the model, the latent→RGB projection otherwise.</summary>
    Auto,

    /// <summary>Always the latent→RGB projection (a few microseconds a step, at latent resolution).</summary>
    Projection,

    /// <summary>The model's own full VAE decoder: faithful, and costly on large models.</summary>
    Vae,
}

/// <summary>
/// How previews are drawn: the decoder, how often a fresh frame is decoded (between those steps the last frame is shown
/// again), and the tiny decoder to use for each model family whose folder has no vae_approx/ of its own.
/// </summary>
public sealed record PreviewOptions
{
    /// <summary>The most steps a run may make, and so the longest period that means anything.</summary>
    public const int MaxEvery = GenerationRequest.MaxSteps;

    /// <summary>The configuration names of the model families, as <c>Generation:PreviewDecoders</c> keys them.</summary>
    public static readonly IReadOnlyDictionary<string, ModelFamily> FamilyKeys =
        new Dictionary<string, ModelFamily>(StringComparer.OrdinalIgnoreCase)
        {
            ["sd"] = ModelFamily.StableDiffusion,
            ["sdxl"] = ModelFamily.StableDiffusionXL,
        };

    public PreviewDecoderMode Decoder { get; init; } = PreviewDecoderMode.Auto;

    /// <summary>A fresh frame on the first step, every <see cref="Every"/> steps after it, and on the last step.</summary>
    public int Every { get; init; } = 1;

    /// <summary>Folders holding a tiny decoder's model.onnx, per model family.</summary>
    public IReadOnlyDictionary<ModelFamily, string> DecoderFolders { get; init; } = new Dictionary<ModelFamily, string>();

    /// <summary>Options from their configuration values, or <see cref="ArgumentException"/> with every problem in words.</summary>
    public static PreviewOptions Parse(string? decoder, int every, IReadOnlyDictionary<string, string?>? decoderFolders)
    {
        var problems = Problems(decoder, every, decoderFolders);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }

        return new PreviewOptions
        {
            Decoder = string.IsNullOrWhiteSpace(decoder) ? PreviewDecoderMode.Auto : Enum.Parse<PreviewDecoderMode>(decoder.Trim(), ignoreCase: true),
            Every = every,
            DecoderFolders = (decoderFolders ?? new Dictionary<string, string?>()).ToDictionary(p => FamilyKeys[p.Key], p => Path.GetFullPath(p.Value!)),
        };
    }

    /// <summary>What is wrong with these configuration values (none when they are usable), each naming its key.</summary>
    public static IReadOnlyList<string> Problems(string? decoder, int every, IReadOnlyDictionary<string, string?>? decoderFolders)
    {
        var problems = new List<string>();
        if (!string.IsNullOrWhiteSpace(decoder) &&
            (!Enum.TryParse<PreviewDecoderMode>(decoder.Trim(), ignoreCase: true, out var mode) || !Enum.IsDefined(mode)))
        {
            problems.Add($"Generation:PreviewDecoder is '{decoder}'; it must be one of {string.Join(", ", Enum.GetNames<PreviewDecoderMode>())}.");
        }

        if (every is < 1 or > MaxEvery)
        {
            problems.Add($"Generation:PreviewEvery is {every}; it must be a number of steps from 1 to {MaxEvery}.");
        }

        foreach (var (key, folder) in decoderFolders ?? new Dictionary<string, string?>())
        {
            if (!FamilyKeys.ContainsKey(key))
            {
                problems.Add($"Generation:PreviewDecoders:{key} names no model family; the families are {string.Join(" and ", FamilyKeys.Keys)}.");
            }
            else if (string.IsNullOrWhiteSpace(folder))
            {
                problems.Add($"Generation:PreviewDecoders:{key} is empty; it must name a folder that holds a tiny decoder's model.onnx.");
            }
        }

        return problems;
    }
}
