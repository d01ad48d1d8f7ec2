using WebStudio.Generation.Previews;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Tests.Previews;

public class LatentRgbPreviewTests
{
    [Fact]
    public void Projects_each_latent_cell_with_the_ComfyUI_factors()
    {
        // Two samples of 4×1×2 latents; the second sample's first cell is (1, 0, 0, 0) → RGB row 0 of the factors.
        var latents = Latents.Zeros(2, 4, 1, 2);
        latents.Data[8] = 1f;
        latents.Data[8 + 2 + 1] = -1f; // channel 1, cell 1 of sample 1 → −row 1
        var frame = LatentRgbPreview.Decode(latents, sampleIndex: 1);

        Assert.Equal(2, frame.Width);
        Assert.Equal(1, frame.Height);
        Assert.Equal(ToByte(0.3512f), frame.Rgb[0]);
        Assert.Equal(ToByte(0.2297f), frame.Rgb[1]);
        Assert.Equal(ToByte(0.3227f), frame.Rgb[2]);
        Assert.Equal(ToByte(-0.3250f), frame.Rgb[3]);
        Assert.Equal(ToByte(-0.4974f), frame.Rgb[4]);
        Assert.Equal(ToByte(-0.2350f), frame.Rgb[5]);
    }

    [Fact]
    public void Refuses_latents_that_are_not_4_channels() =>
        Assert.Throws<ArgumentException>(() => LatentRgbPreview.Decode(Latents.Zeros(1, 9, 2, 2)));

    private static byte ToByte(float v) => (byte)Math.Round(Math.Clamp((v + 1) / 2, 0, 1) * 255, MidpointRounding.ToEven);
}
