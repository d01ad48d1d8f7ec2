using Onnx;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Onnx;
using Xunit.Abstractions;

namespace WebStudio.BuiltInModel.Tests;

/// <summary>
/// fp16 as a first-class case on a real model: a float16 copy of the shipped model (weights, inputs and outputs
/// all float16, as an fp16 export has them) loads through the same loader and draws the image the fp32 model draws.
/// </summary>
[Collection(ShippedModelCollection.Name)]
public sealed class ShippedModelFloat16Tests(ShippedModel shipped, ITestOutputHelper output) : IDisposable
{
    /// <summary>Measured about 59 dB; fp16 rounding through 20 steps must stay far from visible.</summary>
    public const double MinPsnr = 40;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"webstudio-shapes-fp16-{Guid.NewGuid():N}");

    [Theory]
    [InlineData("DDIM")]
    [InlineData("Euler a")]
    public async Task A_float16_copy_of_the_shipped_model_draws_the_same_image(string scheduler)
    {
        Float16Conversion.ConvertFolder(shipped.Folder, _folder);
        var unet = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(_folder, "unet", "model.onnx")));
        Assert.All(unet.Graph.Input, i => Assert.Equal((int)TensorProto.Types.DataType.Float16, i.Type.TensorType.ElemType));

        using var half = StableDiffusionModel.Load(_folder, new ModelLoadOptions { UseCuda = false });
        var request = new GenerationRequest
        {
            Prompt = "a red circle above a blue square", Steps = 20, Guidance = 7f, Seed = 3, Width = 128, Height = 128, Scheduler = scheduler,
        };
        using var fromHalf = await new StableDiffusionPipeline(half).RunAsync(request);
        using var fromFloat = await shipped.Pipeline.RunAsync(request);

        var psnr = Psnr(fromHalf.Images[0].Image, fromFloat.Images[0].Image);
        output.WriteLine($"{scheduler}: fp16 vs fp32 PSNR {psnr:F1} dB");
        Assert.True(psnr >= MinPsnr, $"the fp16 copy's image is {psnr:F1} dB from the fp32 one; expected at least {MinPsnr} dB");
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static double Psnr(Image<Rgb24> a, Image<Rgb24> b)
    {
        double squared = 0;
        for (var y = 0; y < a.Height; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                var (p, q) = (a[x, y], b[x, y]);
                squared += Square(p.R - q.R) + Square(p.G - q.G) + Square(p.B - q.B);
            }
        }

        var mse = squared / (a.Width * a.Height * 3);
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    private static double Square(int v) => (double)v * v;
}
