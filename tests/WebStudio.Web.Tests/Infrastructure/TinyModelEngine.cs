using Microsoft.Extensions.Logging.Abstractions;
using WebStudio.Generation.Models;
using WebStudio.Testing.TinyModels;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Options;

namespace WebStudio.Web.Tests.Infrastructure;

public static class TinyModelEngine
{
    /// <summary>The real engine (the generation core on ONNX Runtime, CPU) over the fixture's models folder.</summary>
    public static OnnxGenerationEngine CreateEngine(this TinyModelFolders models) => Create(models.ModelsPath);

    /// <summary>The real engine, running its graphs on <paramref name="compute"/>.</summary>
    public static OnnxGenerationEngine CreateEngine(this TinyModelFolders models, ComputeThreads compute) => Create(models.ModelsPath, compute);

    /// <summary>The real engine over the tiny model and the tiny instruction model (<see cref="TinyModelFolders.EditModelName"/>).</summary>
    public static OnnxGenerationEngine CreateEngineWithEditModel(this TinyModelFolders models) => Create(models.ModelsWithEditPath);

    /// <summary>The real engine over a models folder a test wrote with the fixture's variants.</summary>
    public static OnnxGenerationEngine Over(string modelsPath) => Create(modelsPath);

    private static OnnxGenerationEngine Create(string modelsPath, ComputeThreads? compute = null)
    {
        var options = new GenerationOptions { ModelsPath = modelsPath, UseCuda = false, DefaultModel = TinyModelFolders.ModelName };
        return new(Microsoft.Extensions.Options.Options.Create(options), compute ?? new ComputeThreads(options.ComputeNice), NullLogger<ModelCache>.Instance);
    }
}
