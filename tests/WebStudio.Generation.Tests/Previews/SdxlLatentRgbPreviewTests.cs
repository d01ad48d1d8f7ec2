using WebStudio.Generation.Models;
using WebStudio.Generation.Previews;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Tests.Previews;

[Trait("Capability", "UserModels")]
public sealed class SdxlLatentRgbPreviewTests
{
    [Fact]
    public void SDXL_latents_are_projected_with_ComfyUI_s_SDXL_factors_and_bias()
    {
        // One cell per latent channel set to 1: each pixel is that channel's row of the factors plus the bias.
        var latents = Latents.Zeros(1, 4, 1, 5);
        for (var c = 0; c < 4; c++)
        {
            latents.Data[c * 5 + c] = 1f;
        }

        var frame = LatentRgbPreview.Decode(latents, family: ModelFamily.StableDiffusionXL);

        float[] bias = [0.1084f, -0.0175f, -0.0011f];
        float[][] rows = [[0.3651f, 0.4232f, 0.4341f], [-0.2533f, -0.0042f, 0.1068f], [0.1076f, 0.1111f, -0.0362f], [-0.3165f, -0.2492f, -0.2188f]];
        for (var c = 0; c < 4; c++)
        {
            Assert.Equal(rows[c].Select((f, i) => ToByte(f + bias[i])), frame.Rgb[(3 * c)..(3 * c + 3)]);
        }

        Assert.Equal(bias.Select(ToByte), frame.Rgb[12..15]); // the empty cell: the bias alone
    }

    [Fact]
    public void SD_and_SDXL_previews_of_the_same_latents_differ()
    {
        var latents = new Latents(new GaussianNoise(9).Next(4 * 4 * 4), 1, 4, 4, 4);

        Assert.NotEqual(LatentRgbPreview.Decode(latents).Rgb, LatentRgbPreview.Decode(latents, family: ModelFamily.StableDiffusionXL).Rgb);
        Assert.Equal(LatentRgbPreview.Decode(latents).Rgb, PreviewSource.Projection(ModelFamily.StableDiffusion).Decode(latents).Rgb);
        Assert.Equal(LatentRgbPreview.Decode(latents, family: ModelFamily.StableDiffusionXL).Rgb,
            PreviewSource.Projection(ModelFamily.StableDiffusionXL).Decode(latents).Rgb);
    }

    private static byte ToByte(float v) => (byte)Math.Round(Math.Clamp((v + 1) / 2, 0, 1) * 255, MidpointRounding.ToEven);
}
