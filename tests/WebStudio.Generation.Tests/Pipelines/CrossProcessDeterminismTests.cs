using System.Diagnostics;
using WebStudio.Generation.Pipelines;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Pipelines;

[Collection(TinyModelCollection.Name)]
public class CrossProcessDeterminismTests(TinyModelFolders models)
{
    [Fact]
    public async Task Another_process_makes_byte_identical_images_from_the_same_request()
    {
        var folder = models.Write(TinyModelVariant.DiffusersScript);
        using var local = await new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript)).RunAsync(ImageHash.Request(77));

        // This test assembly, run as a program (ImageHash.Main).
        var self = typeof(ImageHash).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", ["exec", self, "hash", folder, "77"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, errors);
        Assert.Equal(ImageHash.Hash(local), output.Trim());
    }
}
