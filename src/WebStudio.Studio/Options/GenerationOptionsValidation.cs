using Microsoft.Extensions.Options;
using WebStudio.Generation.Previews;

namespace WebStudio.Studio.Options;

/// <summary>Refuses bad preview settings at start-up, each problem naming its Generation key.</summary>
public sealed class GenerationOptionsValidation : IValidateOptions<GenerationOptions>
{
    public const int MaxPreviewIntervalMs = 10_000;

    public ValidateOptionsResult Validate(string? name, GenerationOptions options)
    {
        var problems = PreviewOptions.Problems(options.PreviewDecoder, options.PreviewEvery, options.PreviewDecoders).ToList();
        if (options.PreviewIntervalMs is < 0 or > MaxPreviewIntervalMs)
        {
            problems.Add($"Generation:PreviewIntervalMs is {options.PreviewIntervalMs}; it must be a number of milliseconds from 0 to {MaxPreviewIntervalMs}.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
