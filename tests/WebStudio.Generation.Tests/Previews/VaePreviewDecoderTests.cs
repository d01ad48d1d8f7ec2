using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Previews;
using WebStudio.Generation.Tensors;
using WebStudio.Generation.Tests.Pipelines;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Previews;

[Collection(TinyModelCollection.Name)]
public class VaePreviewDecoderTests(TinyModelFolders models)
{
    [Fact]
    public void The_vae_preview_is_the_decoded_picture_of_the_chosen_sample_as_interleaved_rgb()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        var latents = new Latents(new GaussianNoise(5).Next(2 * 4 * 8 * 8), 2, 4, 8, 8);

        var frame = new VaePreviewDecoder(pipeline).Decode(latents, sampleIndex: 1);

        var pixels = pipeline.DecodeLatents(latents.Slice(1));
        Assert.Equal((pixels.Width, pixels.Height), (frame.Width, frame.Height));
        var plane = pixels.Width * pixels.Height;
        for (var i = 0; i < plane; i++)
        {
            var expected = new Rgb24(ImageTensors.ToByte(pixels.Data[i]), ImageTensors.ToByte(pixels.Data[plane + i]), ImageTensors.ToByte(pixels.Data[2 * plane + i]));
            Assert.Equal(expected, new Rgb24(frame.Rgb[3 * i], frame.Rgb[3 * i + 1], frame.Rgb[3 * i + 2]));
        }

        Assert.NotEqual(frame.Rgb, new VaePreviewDecoder(pipeline).Decode(latents, sampleIndex: 0).Rgb);
    }
}
