using System.Security.Cryptography;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;

namespace WebStudio.Benchmarks;

/// <summary>Generates one fixed request and returns the SHA-256 of its pixels.</summary>
public static class ImageHash
{
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
