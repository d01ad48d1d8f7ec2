using Microsoft.Extensions.Logging;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Previews;
using WebStudio.Generation.Tensors;
using WebStudio.Testing;

namespace WebStudio.Generation.Tests.Previews;

[Trait("Capability", "UserModels")]
public sealed class StepPreviewsTests
{
    private readonly RecordingLogger _log = new();

    [Theory]
    [InlineData(1, 10, new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    [InlineData(4, 10, new[] { 0, 4, 8, 9 })]
    [InlineData(4, 9, new[] { 0, 4, 8 })]
    [InlineData(20, 5, new[] { 0, 4 })]
    public void A_fresh_frame_is_decoded_on_the_first_step_every_period_and_on_the_last(int every, int steps, int[] decodedAt)
    {
        var decoded = new List<int>();
        var step = 0;
        var source = new PreviewSource(PreviewKind.TinyAutoencoder, "counting", _ =>
        {
            decoded.Add(step);
            return new RgbFrame([], 0, 0);
        });
        var previews = new StepPreviews(source, every, ModelFamily.StableDiffusion, _log);

        var frames = new List<RgbFrame>();
        for (step = 0; step < steps; step++)
        {
            frames.Add(previews.Frame(Progress(step, steps)));
        }

        Assert.Equal(decodedAt, decoded);
        Assert.Equal(decodedAt.Length, previews.Decoded);
        // Between fresh frames the last one is handed out again, the same object (a reader need not encode it again).
        for (var i = 1; i < steps; i++)
        {
            Assert.Equal(decodedAt.Contains(i), !ReferenceEquals(frames[i], frames[i - 1]));
        }
    }

    [Fact]
    public void A_decoder_that_fails_mid_run_gives_way_to_the_projection_and_the_reason_is_logged()
    {
        var source = new PreviewSource(PreviewKind.TinyAutoencoder, "vae_approx/model.onnx", _ => throw new InvalidOperationException("the graph broke"));
        var previews = new StepPreviews(source, 1, ModelFamily.StableDiffusion, _log);

        var first = previews.Frame(Progress(0, 3));
        var second = previews.Frame(Progress(1, 3));

        Assert.Equal(PreviewKind.Projection, previews.Source.Kind);
        Assert.Equal((2, 2), (first.Width, first.Height));
        Assert.Equal(LatentRgbPreview.Decode(Progress(1, 3).PredictedOriginal).Rgb, second.Rgb);
        var warning = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("vae_approx/model.onnx", warning.Message);
        Assert.Contains("the graph broke", warning.Message);
    }

    private static StepProgress Progress(int step, int total)
    {
        var x0 = new Latents(new GaussianNoise(step).Next(16), 1, 4, 2, 2);
        return new StepProgress(step, total, 1000f - step, x0, x0);
    }
}
