using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Models;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Pipelines;

/// <summary>The image side of img2img and inpainting: encoding the source, masks at latent size, and paste-back.</summary>
internal static class ImageConditioning
{
    /// <summary>Mask pixels at or above this are repainted.</summary>
    public const byte MaskThreshold = 128;

    /// <summary>The source image as scaled latents (as the UNet sees them), repeated for each batch row.</summary>
    public static Latents EncodeScaled(StableDiffusionModel model, Image<Rgb24> image, int batch, GaussianNoise noise, RunClock clock) =>
        Encode(model, image, batch, noise, model.Config.ScalingFactor, clock);

    /// <summary>
    /// The source image's latents as InstructPix2Pix conditions on them (diffusers' <c>sample_mode="argmax"</c>): the
    /// posterior's mode, its mean, with no sample drawn and no scaling factor, repeated for each batch row. An encoder
    /// whose graph returns <c>latent_sample</c> rather than its parameters gives that output as it is.
    /// </summary>
    public static Latents EncodeMode(StableDiffusionModel model, Image<Rgb24> image, int batch, RunClock clock) =>
        Encode(model, image, batch, noise: null, scale: 1f, clock);

    private static Latents Encode(StableDiffusionModel model, Image<Rgb24> image, int batch, GaussianNoise? noise, float scale, RunClock clock)
    {
        var encoder = model.VaeEncoder
            ?? throw new InvalidOperationException($"Model '{model.Name}' has no vae_encoder/model.onnx, so it cannot edit images.");
        var encoded = encoder.Encode(ImageTensors.FromImage(image), noise, clock);
        var result = Latents.Zeros(batch, encoded.Channels, encoded.Height, encoded.Width);
        for (var b = 0; b < batch; b++)
        {
            for (var i = 0; i < encoded.SampleLength; i++)
            {
                result.Data[b * encoded.SampleLength + i] = encoded.Data[i] * scale;
            }
        }

        return result;
    }

    /// <summary>
    /// The mask at latent size: a cell is repainted (1) when any of its pixels is, so that the whole masked area is
    /// regenerated; pixels outside the mask are restored afterwards by <see cref="PasteBack"/>.
    /// </summary>
    public static float[] LatentMask(Image<L8> mask, int latentHeight, int latentWidth)
    {
        var cellsY = (float)mask.Height / latentHeight;
        var cellsX = (float)mask.Width / latentWidth;
        var result = new float[latentHeight * latentWidth];
        mask.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var ly = Math.Min(latentHeight - 1, (int)(y / cellsY));
                for (var x = 0; x < row.Length; x++)
                {
                    if (row[x].PackedValue >= MaskThreshold)
                    {
                        result[ly * latentWidth + Math.Min(latentWidth - 1, (int)(x / cellsX))] = 1f;
                    }
                }
            }
        });
        return result;
    }

    /// <summary>A latent mask (1 = repainted) as a pixel mask of <paramref name="width"/> × <paramref name="height"/>,
    /// each cell a block: what <see cref="PasteBack"/> takes for an instruction edit's automatic mask.</summary>
    public static Image<L8> PixelMask(float[] latentMask, int latentHeight, int latentWidth, int width, int height)
    {
        var mask = new Image<L8>(width, height);
        mask.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var ly = Math.Min(latentHeight - 1, y * latentHeight / height);
                for (var x = 0; x < row.Length; x++)
                {
                    var lx = Math.Min(latentWidth - 1, x * latentWidth / width);
                    row[x] = new L8(latentMask[(ly * latentWidth) + lx] > 0f ? byte.MaxValue : (byte)0);
                }
            }
        });
        return mask;
    }

    /// <summary>The source with the masked area set to mid-grey (0 in [-1,1]), as SD inpainting UNets expect.</summary>
    public static Image<Rgb24> MaskedImage(Image<Rgb24> image, Image<L8> mask)
    {
        var masked = image.Clone();
        masked.ProcessPixelRows(mask, (imageRows, maskRows) =>
        {
            for (var y = 0; y < imageRows.Height; y++)
            {
                var pixels = imageRows.GetRowSpan(y);
                var maskRow = maskRows.GetRowSpan(y);
                for (var x = 0; x < pixels.Length; x++)
                {
                    if (maskRow[x].PackedValue >= MaskThreshold)
                    {
                        pixels[x] = new Rgb24(128, 128, 128);
                    }
                }
            }
        });
        return masked;
    }

    /// <summary>
    /// Blends the generated image into the original with the mask feathered inward over <paramref name="feather"/>
    /// pixels. Where the mask is 0 the weight is exactly 0, so those pixels come out byte-identical to the original.
    /// </summary>
    public static void PasteBack(Image<Rgb24> generated, Image<Rgb24> original, Image<L8> mask, int feather)
    {
        var weights = FeatheredWeights(mask, feather);
        var width = mask.Width;
        generated.ProcessPixelRows(original, (outRows, srcRows) =>
        {
            for (var y = 0; y < outRows.Height; y++)
            {
                var output = outRows.GetRowSpan(y);
                var source = srcRows.GetRowSpan(y);
                for (var x = 0; x < output.Length; x++)
                {
                    var w = weights[y * width + x];
                    if (w <= 0f)
                    {
                        output[x] = source[x];
                    }
                    else if (w < 1f)
                    {
                        output[x] = new Rgb24(
                            Blend(source[x].R, output[x].R, w),
                            Blend(source[x].G, output[x].G, w),
                            Blend(source[x].B, output[x].B, w));
                    }
                }
            }
        });
    }

    private static byte Blend(byte keep, byte generated, float w) => (byte)MathF.Round(keep + (generated - keep) * w);

    /// <summary>How much of the generated image <see cref="PasteBack"/> keeps at each pixel (row-major): the box-blurred
    /// mask, forced to 0 wherever the mask itself is unset.</summary>
    internal static float[] FeatheredWeights(Image<L8> mask, int feather)
    {
        var width = mask.Width;
        var height = mask.Height;
        var binary = new float[width * height];
        mask.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < width; x++)
                {
                    binary[y * width + x] = row[x].PackedValue >= MaskThreshold ? 1f : 0f;
                }
            }
        });

        if (feather == 0)
        {
            return binary;
        }

        var blurred = BoxBlur(BoxBlur(binary, width, height, feather, horizontal: true), width, height, feather, horizontal: false);
        for (var i = 0; i < blurred.Length; i++)
        {
            blurred[i] = binary[i] == 0f ? 0f : blurred[i];
        }

        return blurred;
    }

    private static float[] BoxBlur(float[] input, int width, int height, int radius, bool horizontal)
    {
        var output = new float[input.Length];
        var lines = horizontal ? height : width;
        var length = horizontal ? width : height;
        for (var line = 0; line < lines; line++)
        {
            for (var i = 0; i < length; i++)
            {
                float sum = 0;
                var count = 0;
                for (var k = Math.Max(0, i - radius); k <= Math.Min(length - 1, i + radius); k++)
                {
                    sum += input[horizontal ? line * width + k : k * width + line];
                    count++;
                }

                output[horizontal ? line * width + i : i * width + line] = sum / count;
            }
        }

        return output;
    }
}
