using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;

namespace WebStudio.BuiltInModel.Tests;

/// <summary>
/// The model the repository ships in models/webstudio-shapes, loaded once for the whole assembly (CPU, as CI runs
/// it), with the app's own pipeline. Every test here is about that exact folder, so a bad re-export fails CI.
/// </summary>
public sealed class ShippedModel : IDisposable
{
    public ShippedModel()
    {
        Folder = Path.Combine(RepositoryRoot(), "models", "webstudio-shapes");
        Model = StableDiffusionModel.Load(Folder, new ModelLoadOptions { UseCuda = false });
        Pipeline = new StableDiffusionPipeline(Model);
    }

    public string Folder { get; }

    public StableDiffusionModel Model { get; }

    public StableDiffusionPipeline Pipeline { get; }

    public void Dispose() => Model.Dispose();

    // The test binaries sit under tests/<project>/bin/...; the repository root is where WebStudio.sln is.
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebStudio.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No WebStudio.sln above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name)]
public sealed class ShippedModelCollection : ICollectionFixture<ShippedModel>
{
    public const string Name = "shipped model";
}
