using System.Security.Cryptography;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>
/// Generates one fixed request and returns the SHA-256 of its pixels. The test assembly is also a program (see
/// <see cref="Main"/>), so the cross-process test re-runs it as the other process: no web app, no tool project.
/// </summary>
public static class ImageHash
{
    /// <summary><c>dotnet exec WebStudio.Generation.Tests.dll hash MODEL_DIR SEED</c> prints the hash; the test host never calls this.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["hash", var model, var seed])
        {
            await Console.Error.WriteLineAsync("usage: WebStudio.Generation.Tests hash MODEL_DIR SEED");
            return 2;
        }

        Console.WriteLine(await RunAsync(model, long.Parse(seed, System.Globalization.CultureInfo.InvariantCulture)));
        return 0;
    }

    public static async Task<string> RunAsync(string modelFolder, long seed)
    {
        using var model = StableDiffusionModel.Load(modelFolder, new ModelLoadOptions { UseCuda = false });
        using var result = await new StableDiffusionPipeline(model).RunAsync(Request(seed));
        return Hash(result);
    }

    /// <summary>The request both the test and this program run.</summary>
    public static GenerationRequest Request(long seed) => new()
    {
        Prompt = "a (red:1.2) circle above a blue square", NegativePrompt = "green", Steps = 6, Guidance = 7,
        Seed = seed, Width = 64, Height = 64, Scheduler = "Euler a", BatchSize = 2,
    };

    public static string Hash(GenerationResult result)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var image in result.Images)
        {
            var bytes = new byte[image.Image.Width * image.Image.Height * 3];
            image.Image.CopyPixelDataTo(bytes);
            sha.AppendData(bytes);
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
