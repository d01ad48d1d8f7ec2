using System.Buffers.Binary;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Data;
using WebStudio.Web.Options;
using WebStudio.Studio.Options;
using WebStudio.Studio.Storage;
using WebStudio.Web.Tests.Infrastructure;
using WebStudio.Studio.Jobs;

namespace WebStudio.Web.Tests;

public sealed class ImageStoreTests
{
    private static GenerationJob Job(string negative, float guidance = 7)
    {
        var job = new GenerationJob();
        JobSpecJson.Store(job, new JobSpec.Txt2Img
        {
            Prompt = "a red circle above a blue square",
            NegativePrompt = negative,
            Steps = 20,
            Scheduler = "Euler a",
            Guidance = guidance,
            Model = "webstudio-shapes",
        });
        return job;
    }

    [Fact]
    public void Parameters_follow_A1111s_exact_layout()
    {
        Assert.Equal(
            "a red circle above a blue square\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 128x128, Model: webstudio-shapes",
            A1111Parameters.Format(Job("blurry"), 1, 128, 128));
    }

    [Fact]
    public void Parameters_leave_out_an_empty_negative_prompt_and_keep_fractional_guidance()
    {
        var job = Job("", guidance: 7.5f);
        Assert.Equal(
            "a red circle above a blue square\nSteps: 20, Sampler: Euler a, CFG scale: 7.5, Seed: 42, Size: 192x128, Model: webstudio-shapes",
            A1111Parameters.Format(job, 42, 192, 128));
    }

    [Fact]
    public async Task Saved_png_carries_an_uncompressed_parameters_tEXt_chunk_and_no_temp_file()
    {
        using var folder = new TempFolder();
        var store = new ImageStore(Microsoft.Extensions.Options.Options.Create(new StorageOptions { ImagesPath = folder.Path }));
        using var image = new Image<Rgb24>(64, 64, new Rgb24(1, 2, 3));
        var text = A1111Parameters.Format(Job(new string('n', 3000)), 7, 64, 64); // long: must not become zTXt

        var name = await store.SaveAsync(Guid.NewGuid(), DateTime.UtcNow, image, text, CancellationToken.None);

        var path = store.Resolve(name)!;
        Assert.Equal(text, ReadTextChunk(await File.ReadAllBytesAsync(path), "parameters"));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));
        Assert.Null(store.Resolve("../" + Path.GetFileName(folder.Path) + "/x.png"));
        Assert.Null(store.Resolve("/etc/passwd"));
    }

    /// <summary>Reads a tEXt chunk straight from the PNG bytes (keyword NUL text), failing on any other chunk type for it.</summary>
    private static string ReadTextChunk(byte[] png, string keyword)
    {
        var offset = 8;
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            if (type is "tEXt" or "zTXt" or "iTXt")
            {
                var nul = data.IndexOf((byte)0);
                if (Encoding.Latin1.GetString(data[..nul]) == keyword)
                {
                    Assert.Equal("tEXt", type);
                    return Encoding.Latin1.GetString(data[(nul + 1)..]);
                }
            }

            offset += 12 + length;
        }

        throw new Xunit.Sdk.XunitException($"no {keyword} chunk");
    }
}
