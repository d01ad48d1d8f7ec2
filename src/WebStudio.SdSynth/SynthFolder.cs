using WebStudio.Generation.Models.Diffusers;
using WebStudio.Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.SdSynth;

/// <summary>
/// Writes a complete SD-format folder (optimum layout) with seeded random weights: the same seed and architecture
/// always give the same bytes. The folder is marked complete only at the very end (see <see cref="IsComplete"/>).
/// </summary>
public static class SynthFolder
{
    public const int DefaultSeed = 1505;

    /// <summary>Written last: a folder without it was interrupted mid-write.</summary>
    public const string MarkerFile = "synthetic.json";

    public static SynthReport Write(string folder, SdArchitecture architecture, bool fp16, int seed = DefaultSeed)
    {
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder);
        File.Delete(Path.Combine(folder, MarkerFile));
        var type = fp16 ? DataType.Float16 : DataType.Float;

        SynthConfigFiles.Write(folder, architecture, fp16);
        CopyTokenizer(Path.Combine(folder, "tokenizer"));
        if (architecture.IsXl)
        {
            CopyTokenizer(Path.Combine(folder, "tokenizer_2"));
            SynthConfigFiles.UsePadToken(Path.Combine(folder, "tokenizer_2"), "!");
        }

        var components = SynthComponents.For(architecture);
        var reports = new List<ComponentReport>();
        for (var index = 0; index < components.Count; index++)
        {
            var component = components[index];
            var componentFolder = Path.Combine(folder, component);
            var modelPath = Path.Combine(componentFolder, "model.onnx");
            var dataPath = Path.Combine(componentFolder, ExternalDataOptions.OptimumFileName);
            File.Delete(dataPath);
            var componentSeed = (ulong)seed * 31 + (ulong)index;
            long parameters;
            using (var sink = SynthComponents.UsesExternalData(component)
                ? WeightSink.External(type, componentSeed, dataPath)
                : WeightSink.Inline(type, componentSeed))
            {
                var graph = new SynthGraph(new GraphBuilder(component, type, seed), sink);
                SynthComponents.Build(component, graph, architecture);
                ModelWriter.Save(graph.Build(), modelPath);
                parameters = sink.Parameters;
            }

            var bytes = new FileInfo(modelPath).Length + (File.Exists(dataPath) ? new FileInfo(dataPath).Length : 0);
            reports.Add(new ComponentReport(component, parameters, bytes));
        }

        var report = new SynthReport(architecture, fp16, reports);
        File.WriteAllText(Path.Combine(folder, "README.md"), Readme(report, seed));
        DiffusersJson.Write(Path.Combine(folder, MarkerFile), Marker(report, seed));
        return report;
    }

    /// <summary>Parameter counts from building the graphs only: no weights are generated or written.</summary>
    public static SynthReport Count(SdArchitecture architecture, bool fp16) => new(architecture, fp16,
        [.. SynthComponents.For(architecture).Select(c => new ComponentReport(c, SynthComponents.CountParameters(c, architecture, fp16 ? DataType.Float16 : DataType.Float), 0))]);

    /// <summary>True when <paramref name="folder"/> holds a finished folder of this architecture, precision and seed.</summary>
    public static bool IsComplete(string folder, SdArchitecture architecture, bool fp16, int seed = DefaultSeed)
    {
        var path = Path.Combine(folder, MarkerFile);
        if (!File.Exists(path))
        {
            return false;
        }

        var marker = DiffusersJson.Parse<SynthMarker>(File.ReadAllText(path));
        return marker.Architecture == architecture.Name && marker.Precision == Precision(fp16) && marker.Seed == seed;
    }

    public static string Precision(bool fp16) => fp16 ? "fp16" : "fp32";

    /// <summary>
    /// The built-in model's tokenizer files (CLIP's format with a small vocabulary), copied beside this program by its
    /// project file. Token ids only index the 49,408-row embedding table, and prompts are padded to 77 tokens, so
    /// compute and memory are those of the real tokenizer's.
    /// </summary>
    private static void CopyTokenizer(string destination)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "sdsynth-tokenizer");
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
        }
    }

    private static SynthMarker Marker(SynthReport report, int seed) => new(
        report.Architecture.Name, Precision(report.Fp16), seed, report.Components.ToDictionary(c => c.Component, c => c.Parameters));

    /// <summary>The marker file: what a finished folder holds, written last.</summary>
    private sealed record SynthMarker(string? Architecture, string? Precision, int? Seed, Dictionary<string, long>? Parameters);

    private static string Readme(SynthReport report, int seed) => $"""
        # Synthetic {report.Architecture.Name} model ({Precision(report.Fp16)}) — for measurement only

        **This model generates noise.** Its weights are seeded random numbers (seed {seed}), not a trained
        Stable Diffusion checkpoint. It exists to measure WebStudio at real scale: it has the architecture and
        the sizes of {(report.Architecture.IsXl
            ? "SDXL 1.0 base (CLIP ViT-L/14 and OpenCLIP bigG text encoders, UNet2DConditionModel, AutoencoderKL)"
            : "Stable Diffusion 1.5 (CLIP ViT-L/14 text encoder, UNet2DConditionModel, AutoencoderKL)")}, so
        compute time, memory and loading behave as with a real export of it, while every image it makes is
        meaningless.

        - Written by `dotnet run -c Release --project src/WebStudio.SdSynth -- --out <dir>{(report.Architecture.IsXl ? " --sdxl" : "")}{(report.Fp16 ? " --fp16" : "")}`;
          the same command and seed always write the same bytes. Never commit it; delete it freely.
        - Layout and signatures of an optimum (≥ 1.24) export: `input_ids` int64, a rank-0 float `timestep`,
          `vae_encoder` → `latent_parameters`, the UNet's weights in `unet/model.onnx_data`{(report.Architecture.IsXl ? " and text_encoder_2's in `text_encoder_2/model.onnx_data`" : "")}
          (the other graphs, well under protobuf's 2 GB, keep theirs inline as optimum leaves them).
        - The tokenizer is WebStudio's small test vocabulary in CLIP's file format (the embedding table still has
          49,408 rows).

        {report.ToTable()}
        """;
}
