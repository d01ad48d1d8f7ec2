using Microsoft.Extensions.Options;
using WebStudio.Generation.Previews;

namespace WebStudio.Studio.Options;

/// <summary>Refuses bad preview settings at start-up, each problem naming its Generation key.</summary>
public sealed class GenerationOptionsValidation : IValidateOptions<GenerationOptions>
{
    public ValidateOptionsResult Validate(string? name, GenerationOptions options)
    {
        var problems = PreviewOptions.Problems(options.PreviewDecoder, options.PreviewEvery, options.PreviewDecoders);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
