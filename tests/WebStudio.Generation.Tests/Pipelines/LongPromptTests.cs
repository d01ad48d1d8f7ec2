using WebStudio.Generation.Pipelines;
using WebStudio.Testing.TinyModels;
using static WebStudio.Generation.Tests.Pipelines.PipelineVariantTests;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>Prompts longer than one 77-token window (A1111's chunks): each window is encoded on its own and the
/// windows follow one another in the UNet's text input, where the export leaves its length open.</summary>
[Collection(TinyModelCollection.Name)]
public class LongPromptTests(TinyModelFolders models)
{
    private static readonly GenerationRequest Request = new()
    {
        Prompt = "a red circle", NegativePrompt = "blue", Steps = 4, Guidance = 7, Width = 64, Height = 64, Seed = 21, Scheduler = "DDIM",
    };

    public static TheoryData<string> OpenLengthVariants() => [nameof(TinyModelVariant.DiffusersScript), nameof(TinyModelVariant.FixedBatch)];

    [Theory]
    [MemberData(nameof(OpenLengthVariants))]
    public async Task A_window_repeated_after_BREAK_draws_what_the_window_alone_draws(string variantName)
    {
        // Two equal windows give every text key twice, which cross-attention cannot tell from once: the image must be
        // the same. It only is if the windows are joined along the tokens, and the 154-token prompt and 77-token
        // negative prompt (which cannot share a batch) are guided as one.
        var pipeline = new StableDiffusionPipeline(models.Load(Variant(variantName)));
        using var once = await pipeline.RunAsync(Request);
        using var twice = await pipeline.RunAsync(Request with { Prompt = "a red circle BREAK a red circle" });
        using var negativeTwice = await pipeline.RunAsync(Request with { NegativePrompt = "blue BREAK blue BREAK blue" });

        Assert.True(MaxPixelDifference(once.Images[0].Image, twice.Images[0].Image) <= 2, "a repeated window changed the image");
        Assert.True(MaxPixelDifference(once.Images[0].Image, negativeTwice.Images[0].Image) <= 2, "a repeated negative window changed the image");
    }

    [Fact]
    public async Task Text_in_a_second_window_changes_the_image()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        using var first = await pipeline.RunAsync(Request with { Prompt = "a red circle BREAK a blue square", BatchSize = 2 });
        using var second = await pipeline.RunAsync(Request with { Prompt = "a red circle BREAK a green star", BatchSize = 2 });

        Assert.NotEqual(Hash(first.Images[0].Image), Hash(second.Images[0].Image));
        Assert.NotEqual(Hash(first.Images[1].Image), Hash(second.Images[1].Image));
    }

    [Fact]
    public async Task A_UNet_exported_for_77_tokens_takes_the_first_window_only()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.FixedText));
        using var one = await pipeline.RunAsync(Request);
        using var longer = await pipeline.RunAsync(Request with { Prompt = "a red circle BREAK a green star", NegativePrompt = "blue BREAK yellow" });

        Assert.Equal(Hash(one.Images[0].Image), Hash(longer.Images[0].Image));
    }

    private static TinyModelVariant Variant(string name) => name switch
    {
        nameof(TinyModelVariant.FixedBatch) => TinyModelVariant.FixedBatch,
        _ => TinyModelVariant.DiffusersScript,
    };
}
