using Microsoft.Extensions.Options;
using WebStudio.Generation.Previews;

namespace WebStudio.Studio.Options;

/// <summary>Refuses bad preview, VAE tiling and compute priority settings at start-up, each problem naming its Generation key.</summary>
public sealed class GenerationOptionsValidation : IValidateOptions<GenerationOptions>
{
    public const int MaxPreviewIntervalMs = 10_000;

    // Eight latents a side: smaller tiles are mostly overlap.
    public const int MinVaeTileSize = 64;

    public ValidateOptionsResult Validate(string? name, GenerationOptions options)
    {
        var problems = PreviewOptions.Problems(options.PreviewDecoder, options.PreviewEvery, options.PreviewDecoders).ToList();
        if (options.PreviewIntervalMs is < 0 or > MaxPreviewIntervalMs)
        {
            problems.Add($"Generation:PreviewIntervalMs is {options.PreviewIntervalMs}; it must be a number of milliseconds from 0 to {MaxPreviewIntervalMs}.");
        }

        if (options.VaeTileSize != 0 && (options.VaeTileSize < MinVaeTileSize || options.VaeTileSize % 8 != 0))
        {
            problems.Add($"Generation:VaeTileSize is {options.VaeTileSize}; it must be 0 (whole images) or a tile side in pixels, a multiple of 8 from {MinVaeTileSize}.");
        }

        if (options.ComputeNice is < 0 or > 19)
        {
            problems.Add($"Generation:ComputeNice is {options.ComputeNice}; it must be a nice value from 0 (the process's own priority) to 19 (the lowest).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
