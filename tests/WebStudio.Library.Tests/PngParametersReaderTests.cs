using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Web.History;
using WebStudio.Studio.History;

namespace WebStudio.Library.Tests;

public sealed class PngParametersReaderTests
{
    public static byte[] Png(string? parameters, bool compressed = false)
    {
        using var image = new Image<Rgb24>(8, 8, new Rgb24(1, 2, 3));
        if (parameters is not null)
        {
            image.Metadata.GetPngMetadata().TextData.Add(new PngTextData("parameters", parameters, "", ""));
        }

        using var stream = new MemoryStream();
        image.SaveAsPng(stream, new PngEncoder { TextCompressionThreshold = compressed ? 1 : int.MaxValue });
        return stream.ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reads_the_parameters_chunk_plain_or_compressed(bool compressed)
    {
        const string text = "a fox\nSteps: 3, Sampler: Euler, CFG scale: 5, Seed: 9, Size: 8x8";
        using var stream = new MemoryStream(Png(text, compressed));

        Assert.Equal(text, await PngParametersReader.ReadAsync(stream, "fox.png"));
    }

    [Fact]
    public async Task A_png_without_the_chunk_gets_an_error_that_names_the_file()
    {
        using var stream = new MemoryStream(Png(null));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => PngParametersReader.ReadAsync(stream, "plain.png"));

        Assert.Contains("plain.png", error.Message);
        Assert.Contains("parameters", error.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_a_png_is_refused_with_its_name()
    {
        using var stream = new MemoryStream("GIF89a not a png"u8.ToArray());

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => PngParametersReader.ReadAsync(stream, "cat.gif"));

        Assert.Equal("cat.gif: the file is not a PNG image", error.Message);
    }
}
