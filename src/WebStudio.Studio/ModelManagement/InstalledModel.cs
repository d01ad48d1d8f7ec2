using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Studio.Vocabulary;

namespace WebStudio.Studio.ModelManagement;

/// <summary>What the model manager shows of an installed model. Figures a folder does not give (or cannot be read
/// for) are null, and <see cref="Problem"/> says why.</summary>
public sealed record InstalledModel(string Name, string Folder, bool IsDefault, long SizeBytes)
{
    /// <summary>The model card's text: README.md without its YAML front matter, shortened; null when there is none.</summary>
    public string? Card { get; init; }

    /// <summary>"fp16" or "fp32", from the UNet's sample input (<see cref="OnnxInputType"/>, however big the graph).</summary>
    public string? Precision { get; init; }

    public ModelFamily? Family { get; init; }

    /// <summary>An InstructPix2Pix-format model: it changes an image as an instruction says, and makes no image from a
    /// prompt alone, so it cannot be the default (Refine chooses it by itself).</summary>
    public bool EditsByInstruction { get; init; }

    /// <summary>The family as people name it.</summary>
    public string FamilyName => (Family switch
    {
        ModelFamily.StableDiffusionXL => "SDXL",
        ModelFamily.StableDiffusion => "SD 1.x/2.x",
        _ => "?",
    }) + (EditsByInstruction ? " · instruction edit" : "");

    public int NativeSize { get; init; }

    /// <summary>The peak memory of one image at the native size (MemoryEstimate), with the model's default guidance, on
    /// the provider the studio runs it on (a float16 model takes about twice as much on the CPU).</summary>
    public long? MemoryEstimateBytes { get; init; }

    public ModelGenerationDefaults? Defaults { get; init; }

    /// <summary>Why the folder's figures cannot be shown (its graphs or configuration cannot be read); null when they are.</summary>
    public string? Problem { get; init; }

    /// <summary>Why card.json cannot be read, where it cannot: the studio runs the model as if it had no card (its
    /// folder's implied defaults, no vocabulary check), as <see cref="ModelCards"/> does.</summary>
    public string? CardProblem { get; init; }

    public const int CardLength = 2000;

    /// <summary>Reads what there is to show of the model folder <paramref name="folder"/>; <paramref name="onCpu"/>:
    /// the studio runs models on ONNX Runtime's CPU provider; <paramref name="vaeTileSize"/>: it decodes in tiles of
    /// that many pixels (0: whole images).</summary>
    public static InstalledModel Read(string folder, bool isDefault, bool onCpu, int vaeTileSize = 0)
    {
        var (card, cardProblem) = ReadModelCard(folder);
        var model = new InstalledModel(Path.GetFileName(folder), folder, isDefault, FolderSize(folder)) { Card = ReadCard(folder), CardProblem = cardProblem };
        try
        {
            var config = ModelConfig.Read(folder);
            var shapes = ModelShapes.Read(folder).As(onCpu, vaeTileSize);
            var defaults = card?.Defaults ?? ImpliedModelDefaults.For(folder);
            var guidance = defaults?.Guidance ?? 7.5f;
            return model with
            {
                Precision = OnnxInputType.Read(Path.Combine(folder, "unet", "model.onnx"), "sample") switch
                {
                    OnnxInputType.Float16 => "fp16",
                    OnnxInputType.Float => "fp32",
                    _ => null,
                },
                Family = config.Family,
                EditsByInstruction = config.IsInstructPix2Pix,
                NativeSize = config.NativeSize,
                MemoryEstimateBytes = MemoryEstimate.Of(shapes, config.NativeSize, config.NativeSize, 1, guidance).Total,
                Defaults = defaults,
            };
        }
        catch (Exception e) when (e is ModelLoadException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return model with { Problem = e.Message };
        }
    }

    private static (ModelCard? Card, string? Problem) ReadModelCard(string folder)
    {
        var path = Path.Combine(folder, ModelCard.FileName);
        try
        {
            return (File.Exists(path) ? ModelCard.Read(path) : null, null);
        }
        catch (Exception e) when (ModelCard.IsUnreadable(e))
        {
            return (null, $"{ModelCard.FileName} cannot be read ({e.Message}); the model runs as if it had none: no card defaults, no vocabulary check");
        }
    }

    public static long FolderSize(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    private static string? ReadCard(string folder)
    {
        var path = Path.Combine(folder, "README.md");
        if (!File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (text.StartsWith("---\n", StringComparison.Ordinal) && text.IndexOf("\n---", 4, StringComparison.Ordinal) is > 0 and var end)
        {
            text = text[(end + 4)..]; // the Hub's YAML metadata block
        }

        text = text.Trim();
        return text.Length == 0 ? null : text.Length > CardLength ? text[..CardLength] + "…" : text;
    }
}
