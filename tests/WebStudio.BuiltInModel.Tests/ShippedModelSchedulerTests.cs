using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Schedulers;
using WebStudio.ShapesWorld;
using WebStudio.ShapesWorld.Evaluation;
using Xunit.Abstractions;

namespace WebStudio.BuiltInModel.Tests;

/// <summary>
/// The shipped model with every scheduler of the core, and with a negative prompt: the colours asked for come out,
/// and the colour the negative prompt names stays out.
/// </summary>
[Collection(ShippedModelCollection.Name)]
public sealed class ShippedModelSchedulerTests(ShippedModel shipped, ITestOutputHelper output)
{
    public static TheoryData<string> Schedulers => new(SchedulerNames.All);

    [Theory]
    [MemberData(nameof(Schedulers))]
    public async Task Every_scheduler_draws_the_asked_colours_and_keeps_out_the_negative_one(string scheduler)
    {
        var hits = 0;
        long[] seeds = [11, 12, 13];
        foreach (var seed in seeds)
        {
            using var result = await shipped.Pipeline.RunAsync(new GenerationRequest
            {
                Prompt = "a yellow circle on a black background",
                NegativePrompt = "blue",
                Steps = 20,
                Guidance = 7f,
                Seed = seed,
                Width = 128,
                Height = 128,
                Scheduler = scheduler,
            });
            var analysis = ImageAnalysis.Analyze(result.Images[0].Image);
            var hit = analysis.Background == Palette.Black
                && analysis.Objects.Any(o => o.Colour == Palette.Yellow)
                && !analysis.Objects.Any(o => o.Colour == Palette.Blue);
            hits += hit ? 1 : 0;
            output.WriteLine($"{scheduler}, seed {seed}: background {analysis.Background?.Name ?? "?"}; " +
                $"{string.Join(", ", analysis.Objects.Select(o => o.Describe()))}");
        }

        Assert.True(hits >= 2, $"{scheduler}: a yellow object on black without blue in {hits} of {seeds.Length} seeds");
    }
}
