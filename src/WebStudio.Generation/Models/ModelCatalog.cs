namespace WebStudio.Generation.Models;

/// <summary>A model folder found under the models directory.</summary>
public sealed record ModelDescriptor(string Name, string Folder, int NativeWidth, int NativeHeight)
{
    /// <summary>What the model's image sides must be a multiple of (<see cref="ModelConfig.SizeMultiple"/>).</summary>
    public int SizeMultiple { get; init; } = 8;

    /// <summary>An InstructPix2Pix-format model (<see cref="ModelConfig.IsInstructPix2Pix"/>): it edits an input
    /// image by an instruction and runs nothing else.</summary>
    public bool EditsByInstruction { get; init; }

    /// <summary>The model's family (<see cref="ModelConfig.Family"/>): SDXL folders list as <see cref="ModelFamily.StableDiffusionXL"/>.</summary>
    public ModelFamily Family { get; init; }
}

/// <summary>
/// The models directory: every sub-folder holding a model_index.json is a model, named by its folder name.
/// Names from requests are matched against this list only, so no name (with "..", slashes, encoded
/// separators or an absolute path) can reach a folder outside the directory.
/// </summary>
public sealed class ModelCatalog
{
    private readonly string _root;

    public ModelCatalog(string modelsRoot)
    {
        _root = Path.GetFullPath(modelsRoot);
    }

    public string Root => _root;

    public IReadOnlyList<ModelDescriptor> List()
    {
        if (!Directory.Exists(_root))
        {
            return [];
        }

        var models = new List<ModelDescriptor>();
        foreach (var folder in Directory.EnumerateDirectories(_root).Order(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(folder, "model_index.json")))
            {
                continue;
            }

            int size, multiple;
            var instruction = false;
            var family = ModelFamily.StableDiffusion;
            try
            {
                var config = ModelConfig.Read(folder);
                (size, multiple, instruction, family) = (config.NativeSize, config.SizeMultiple, config.IsInstructPix2Pix, config.Family);
            }
            catch (ModelLoadException)
            {
                (size, multiple) = (512, 8); // still listed, so that loading it reports the real problem
            }

            models.Add(new ModelDescriptor(Path.GetFileName(folder), folder, size, size) { SizeMultiple = multiple, EditsByInstruction = instruction, Family = family });
        }

        return models;
    }

    /// <summary>The folder of the model called <paramref name="name"/>, or <see cref="ModelNotFoundException"/>.</summary>
    public string ResolveFolder(string name) => Find(name).Folder;

    public ModelDescriptor Find(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ModelNotFoundException(name ?? "");
        }

        return List().FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal))
            ?? throw new ModelNotFoundException(name);
    }
}
