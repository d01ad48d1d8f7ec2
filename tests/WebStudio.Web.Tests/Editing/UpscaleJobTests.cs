using Onnx;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Data;
using WebStudio.Generation.Imaging;
using WebStudio.Onnx;
using WebStudio.Web.Tests.Infrastructure;
using WebStudio.Studio.Editing;
using WebStudio.Studio.Jobs;

namespace WebStudio.Web.Tests.Editing;

/// <summary>Upscale jobs run in the queue without the diffusion engine, with Lanczos or an ONNX upscaler.</summary>
public sealed class UpscaleJobTests
{
    [Fact]
    public async Task A_lanczos_upscale_bypasses_the_engine_and_matches_the_core()
    {
        await using var studio = await EditStudio.StartAsync(width: 40, height: 30);
        var (alice, picture) = (studio.Alice, studio.Picture);

        var job = await alice.EditAsync(EditJobTests.Request(EditOperation.Upscale, studio.Source) with { UpscaleFactor = 4 });
        var done = await alice.WaitForEndAsync(job.Id);

        Assert.Equal("Succeeded", done.Status);
        using var result = await alice.DownloadAsync(done.Images[0].Url);
        using var expected = Upscaler.Lanczos(picture, 4);
        Assert.Equal((160, 120), (result.Width, result.Height));
        Assert.True(EditClient.SamePixels(expected, result), "the stored upscale differs from the core's Lanczos");
        Assert.Equal("Postprocess upscale by: 4, Postprocess upscaler: Lanczos, Native size: 40x30",
            result.Metadata.GetPngMetadata().TextData.Single(t => t.Keyword == "parameters").Value);
        Assert.Empty(studio.Factory.Scripted.Started);
        var stored = await studio.StoredJobAsync(job.Id);
        Assert.Equal(JobKind.Upscale, stored.Kind);
        var spec = Assert.IsType<JobSpec.Upscale>(JobSpecJson.Read(stored));
        Assert.Equal((4, (string?)null), (spec.Factor, spec.Upscaler));
    }

    [Fact]
    public async Task An_onnx_upscaler_from_the_upscalers_folder_runs_in_the_queue()
    {
        using var folder = new TempFolder();
        var upscalers = Path.Combine(folder.Path, "models", "upscalers");
        Directory.CreateDirectory(upscalers);
        var modelPath = WriteSuperResolution(Path.Combine(upscalers, "tiny-x2.onnx"));
        await using var factory = ScriptedStudio.Create(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        using var picture = EditClient.Picture(48, 40);
        var upload = await alice.UploadAsync(picture);

        var job = await alice.EditAsync(EditJobTests.Request(EditOperation.Upscale, upload.Source) with { Upscaler = "tiny-x2" });
        var done = await alice.WaitForEndAsync(job.Id, TimeSpan.FromSeconds(60));

        Assert.Equal("Succeeded", done.Status);
        using var result = await alice.DownloadAsync(done.Images[0].Url);
        using var direct = OnnxSuperResolution.Load(modelPath, new WebStudio.Generation.Models.ModelLoadOptions { UseCuda = false });
        using var expected = direct.Upscale(picture);
        Assert.Equal((96, 80), (result.Width, result.Height));
        Assert.True(EditClient.SamePixels(expected, result), "the queued upscale differs from running the upscaler directly");
        Assert.Equal("Postprocess upscale by: 2, Postprocess upscaler: tiny-x2, Native size: 48x40",
            result.Metadata.GetPngMetadata().TextData.Single(t => t.Keyword == "parameters").Value);
        Assert.Empty(factory.Scripted.Started);
    }

    // Conv 3×3 → pixel shuffle ×2 → sigmoid: the shape of a Real-ESRGAN export, small enough to build in code.
    private static string WriteSuperResolution(string path)
    {
        var g = new GraphBuilder("tiny_sr", seed: 5);
        var x = g.Input("image", TensorProto.Types.DataType.Float, 1, 3, "height", "width");
        var features = g.Conv2d(x, 3, 12);
        var shuffled = g.Op("DepthToSpace", [features], Attr.Int("blocksize", 2), Attr.String("mode", "CRD"));
        g.Output("upscaled", TensorProto.Types.DataType.Float, [1, 3, "out_height", "out_width"], from: g.Sigmoid(shuffled));
        ModelWriter.Save(g, path);
        return path;
    }
}
