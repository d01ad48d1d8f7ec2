using Microsoft.Extensions.Logging.Abstractions;
using WebStudio.Generation.Models;
using WebStudio.Onnx.TestModels;
using WebStudio.Web.Engine;
using WebStudio.Studio.Engine;
using WebStudio.Web.Options;
using WebStudio.Studio.Options;

namespace WebStudio.Web.Tests.Infrastructure;

/// <summary>A models folder holding the tiny Stable Diffusion test model "tiny" (64×64 native), written once per class.</summary>
public sealed class TinyModelFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public TinyModelFixture()
    {
        ModelsPath = Path.Combine(_folder.Path, "models");
        TinyStableDiffusion.Write(Path.Combine(ModelsPath, "tiny"), TinyModelVariant.DiffusersScript);
    }

    public string ModelsPath { get; }

    /// <summary>The real engine (the generation core on ONNX Runtime, CPU) over this folder.</summary>
    public OnnxGenerationEngine CreateEngine() => new(
        Microsoft.Extensions.Options.Options.Create(new GenerationOptions { ModelsPath = ModelsPath, UseCuda = false, DefaultModel = "tiny" }),
        NullLogger<ModelCache>.Instance);

    public void Dispose() => _folder.Dispose();
}
