using Microsoft.Extensions.Logging.Abstractions;
using WebStudio.Studio.ModelManagement;
using WebStudio.Studio.Options;
using WebStudio.Testing.Servers;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Web.Tests.ModelManagement;

/// <summary>A models folder, a fake Hub serving the tiny model as "tests/tiny-onnx", and an installer on both, with a
/// free-space probe the test sets.</summary>
public sealed class ModelManagerWorld : IAsyncDisposable
{
    public const string Repo = "tests/tiny-onnx";

    private readonly TempFolder _folder = new();

    public ModelManagerWorld(string? token = null, long freeBytes = long.MaxValue / 4)
    {
        Directory.CreateDirectory(ModelsPath);
        TinyModel = TinyModelFolders.Shared.Folder("DiffusersScript");
        Hub.AddFolder(Repo, TinyModel);
        Hub.AddFile(Repo, "README.md", Readme);
        FreeSpace = new FixedFreeSpace { Bytes = freeBytes };
        Generation = new GenerationOptions { ModelsPath = ModelsPath, DefaultModel = "none-yet" };
        Options = new ModelManagerOptions { HubEndpoint = Hub.Endpoint.ToString(), HubToken = token, FreeSpaceMargin = 0 };
        Installer = new ModelInstaller(Microsoft.Extensions.Options.Options.Create(Generation), Microsoft.Extensions.Options.Options.Create(Options),
            new HuggingFaceHub(new HttpClient { BaseAddress = Hub.Endpoint }, Options.Token), FreeSpace, Notifier, NullLogger<ModelInstaller>.Instance);
    }

    /// <summary>The repository's model card, with the Hub's YAML metadata block.</summary>
    public static readonly byte[] Readme = "---\nlicense: mit\n---\n# Tiny ONNX\nA tiny model for tests."u8.ToArray();

    public FakeHub Hub { get; } = new();

    public string TinyModel { get; }

    public string ModelsPath => _folder.Combine("models");

    public string Scratch => _folder.Path;

    public FixedFreeSpace FreeSpace { get; }

    public GenerationOptions Generation { get; }

    public ModelManagerOptions Options { get; }

    public ModelInstallNotifier Notifier { get; } = new();

    public ModelInstaller Installer { get; }

    /// <summary>The names of the model folders the catalog lists.</summary>
    public IReadOnlyList<string> Listed => [.. new Generation.Models.ModelCatalog(ModelsPath).List().Select(m => m.Name)];

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        _folder.Dispose();
    }
}

/// <summary>A disk with as much free space as the test says.</summary>
public sealed class FixedFreeSpace : IFreeSpaceProbe
{
    public long Bytes { get; set; }

    public long AvailableBytes(string folder) => Bytes;
}
