using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Tests.Tensors;

public class ImageTensorsTests
{
    /// <summary>Values where the rounding and the clamp decide the byte, and the ones that are not numbers.</summary>
    private static float[] Awkward()
    {
        var values = new List<float> { float.NaN, float.PositiveInfinity, float.NegativeInfinity, -1f, 1f, 0f, -0f, -1.0000001f, 1.0000001f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue };
        for (var k = 0; k <= 255; k++)
        {
            // The exact half-way point between bytes k and k+1, and its float neighbours.
            var tie = (k + 0.5f) / 255f * 2f - 1f;
            values.AddRange([tie, MathF.BitDecrement(tie), MathF.BitIncrement(tie), k / 127.5f - 1f]);
        }

        return [.. values];
    }

    [Fact]
    public void ToBytes_gives_the_byte_ToByte_gives_for_every_value()
    {
        var random = new Random(3);
        var values = Awkward().Concat(Enumerable.Range(0, 20_000).Select(_ => (float)(random.NextDouble() * 3 - 1.5))).ToArray();
        // Every length up to two vector blocks and beyond, so the tail loop and the block loop both run.
        foreach (var length in new[] { 0, 1, 7, 31, 32, 33, 63, 64, 65, values.Length })
        {
            var source = values.AsSpan(values.Length - length);
            var bytes = new byte[length];
            ImageTensors.ToBytes(source, bytes);
            for (var i = 0; i < length; i++)
            {
                Assert.True(ImageTensors.ToByte(source[i]) == bytes[i], $"value {source[i]:R} (bits {BitConverter.SingleToInt32Bits(source[i]):X8}) at length {length}: ToByte {ImageTensors.ToByte(source[i])}, ToBytes {bytes[i]}");
            }
        }

        Assert.Equal(0, ImageTensors.ToByte(float.NaN));
        Assert.Equal(255, ImageTensors.ToByte(float.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => ImageTensors.ToBytes(new float[4], new byte[3]));
    }

    [Fact]
    public void ToImage_places_each_plane_in_its_channel_for_every_sample()
    {
        // Two samples of a 37x3 image (odd width: a vector block and a tail on every row), each pixel distinct.
        const int width = 37, height = 3, plane = width * height;
        var data = new float[2 * 3 * plane];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (i % 251) / 125.5f - 1f;
        }

        var tensor = new Latents(data, 2, 3, height, width);
        for (var sample = 0; sample < 2; sample++)
        {
            using var image = ImageTensors.ToImage(tensor, sample);
            Assert.Equal((width, height), (image.Width, image.Height));
            var offset = sample * 3 * plane;
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var i = offset + y * width + x;
                    var expected = new Rgb24(ImageTensors.ToByte(data[i]), ImageTensors.ToByte(data[i + plane]), ImageTensors.ToByte(data[i + 2 * plane]));
                    Assert.Equal(expected, image[x, y]);
                }
            }
        }

        Assert.Throws<ArgumentException>(() => ImageTensors.ToImage(new Latents(new float[4 * plane], 1, 4, height, width)));
        Assert.Throws<ArgumentException>(() => ImageTensors.ToImage(new float[3 * plane - 1], height, width));
    }

    [Fact]
    public void ToInterleavedRgb_writes_the_bytes_of_ToImage()
    {
        const int width = 37, height = 3;
        var planes = new float[3 * width * height];
        for (var i = 0; i < planes.Length; i++)
        {
            planes[i] = (i * 7 % 253) / 126.5f - 1f;
        }

        using var image = ImageTensors.ToImage(planes, height, width);
        var expected = new byte[planes.Length];
        image.CopyPixelDataTo(expected);
        var written = new byte[planes.Length];
        ImageTensors.ToInterleavedRgb(planes, height, width, written);

        Assert.Equal(expected, written);
        Assert.Throws<ArgumentException>(() => ImageTensors.ToInterleavedRgb(planes, height, width, new byte[planes.Length - 1]));
    }
}
