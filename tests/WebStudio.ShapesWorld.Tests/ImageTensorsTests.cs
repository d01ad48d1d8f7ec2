using WebStudio.ShapesWorld;

namespace WebStudio.ShapesWorld.Tests;

public class ImageTensorsTests
{
    [Fact]
    public void Round_trip_is_exact_and_planar()
    {
        using var sample = SceneGenerator.Generate(8, 1);
        var chw = ImageTensors.ToChwMinus1To1(sample.Image);
        Assert.Equal(3 * 128 * 128, chw.Length);
        Assert.All(chw, v => Assert.InRange(v, -1f, 1f));
        var p = sample.Image[5, 7];
        Assert.Equal(p.R / 127.5f - 1f, chw[7 * 128 + 5]);
        Assert.Equal(p.G / 127.5f - 1f, chw[128 * 128 + 7 * 128 + 5]);
        Assert.Equal(p.B / 127.5f - 1f, chw[2 * 128 * 128 + 7 * 128 + 5]);
        using var back = ImageTensors.FromChwMinus1To1(chw, 128, 128);
        for (var y = 0; y < 128; y += 3)
        for (var x = 0; x < 128; x += 3)
            Assert.Equal(sample.Image[x, y], back[x, y]);
    }

    [Fact]
    public void Writes_into_a_slot_of_a_batch_buffer()
    {
        using var sample = SceneGenerator.Generate(8, 2);
        var batch = new float[2 * 3 * 128 * 128];
        ImageTensors.WriteChwMinus1To1(sample.Image, batch.AsSpan(3 * 128 * 128));
        Assert.Equal(ImageTensors.ToChwMinus1To1(sample.Image), batch[(3 * 128 * 128)..]);
        Assert.All(batch[..(3 * 128 * 128)], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Wrong_length_names_the_argument()
    {
        var error = Assert.Throws<ArgumentException>(() => ImageTensors.FromChwMinus1To1(new float[10], 4, 4));
        Assert.Equal("chw", error.ParamName);
        using var sample = SceneGenerator.Generate(8, 2);
        var tooShort = Assert.Throws<ArgumentException>(() => ImageTensors.WriteChwMinus1To1(sample.Image, new float[5]));
        Assert.Equal("destination", tooShort.ParamName);
    }
}
