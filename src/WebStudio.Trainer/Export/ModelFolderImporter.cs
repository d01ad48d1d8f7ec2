using Onnx;
using WebStudio.Generation.Models;
using WebStudio.Onnx;
using WebStudio.Trainer.Models;
using WebStudio.Trainer.Training;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Trainer.Export;

/// <summary>
/// Reads a folder this trainer exported back into TorchSharp modules, so training can go on from a shipped model
/// when its checkpoints are gone. The export copies weights into initializers through transposes and channel
/// permutations; rather than mirror each of those here, the graph is built again from the target module with every
/// weight element set to its own number (1, 2, 3, ...: exact in float32 below 2^24), so each built initializer says
/// which element every stored value belongs to. A second build with all weights zero tells the graph's constants
/// (masks, frequencies, scales) apart, and those must equal the stored ones.
/// </summary>
internal static class ModelFolderImporter
{
    private const long MaxTaggedElements = 1 << 24;

    public static void Import(string folder, VaeEncoderNet encoder, VaeDecoderNet decoder, TextEncoderNet text, UNetNet unet)
    {
        Load(ModelPath(folder, ModelParts.VaeEncoder), encoder, () => VaeGraphs.Encoder(encoder));
        Load(ModelPath(folder, ModelParts.VaeDecoder), decoder, () => VaeGraphs.Decoder(decoder));
        ImportTextAndUNet(folder, text, unet);
    }

    /// <summary>Reads the folder's text encoder and UNet alone: an edit folder's VAE is its base model's.</summary>
    public static void ImportTextAndUNet(string folder, TextEncoderNet text, UNetNet unet)
    {
        Load(ModelPath(folder, ModelParts.TextEncoder), text, () => TextEncoderGraph.Build(text));
        LoadUNet(folder, unet);
    }

    /// <summary>Reads the folder's UNet into <paramref name="unet"/>; a folder whose attention starts at a later level
    /// is read as it was exported, then copied in with the earlier levels' attention adding nothing (<see cref="EarlierAttention"/>).</summary>
    private static void LoadUNet(string folder, UNetNet unet)
    {
        var level = ModelShapes.Read(folder).FirstAttentionLevel;
        if (level <= unet.Config.FirstAttentionLevel)
        {
            Load(ModelPath(folder, ModelParts.UNet), unet, () => UNetGraph.Build(unet));
            return;
        }

        var stored = new UNetNet(unet.Config with { FirstAttentionLevel = level });
        Load(ModelPath(folder, ModelParts.UNet), stored, () => UNetGraph.Build(stored));
        EarlierAttention.Copy(stored, unet);
    }

    /// <summary>Sets <paramref name="module"/>'s parameters to the weights stored in <paramref name="modelPath"/>,
    /// which <paramref name="build"/> (the export of that module) must have written.</summary>
    public static void Load(string modelPath, nn.Module module, Func<GraphBuilder> build)
    {
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"'{modelPath}' is missing: point --from at a model folder this trainer exported.", modelPath);
        }

        var stored = Initializers(ModelProto.Parser.ParseFrom(File.ReadAllBytes(modelPath)).Graph, modelPath);
        var named = module.named_parameters().ToList();
        var parameters = named.Select(p => (Tensor)p.parameter).ToList();
        var total = parameters.Sum(p => p.numel());
        if (total >= MaxTaggedElements)
        {
            throw new NotSupportedException($"{total} weights are too many to number exactly in float32.");
        }

        using var _ = no_grad();
        Fill(parameters, numbered: true);
        var numbered = Initializers(build().Build().Graph, "the numbered build");
        Fill(parameters, numbered: false);
        var zeroed = Initializers(build().Build().Graph, "the zeroed build");

        var values = new float[total];
        var seen = new bool[total];
        foreach (var (name, tags) in numbered)
        {
            if (!stored.TryGetValue(name, out var saved) || saved.Length != tags.Length)
            {
                throw new InvalidDataException($"'{modelPath}' does not hold '{name}' ({tags.Length} values) as this network exports it: it was written for another architecture.");
            }

            var zeros = zeroed[name];
            if (tags.AsSpan().SequenceEqual(zeros))
            {
                if (!saved.AsSpan().SequenceEqual(tags))
                {
                    throw new InvalidDataException($"'{modelPath}' holds another constant '{name}' than this network exports: it was written for another architecture.");
                }

                continue;
            }

            for (var j = 0; j < tags.Length; j++)
            {
                var tag = tags[j];
                if (zeros[j] != 0 || tag < 1 || tag > total || tag != MathF.Floor(tag))
                {
                    throw new NotSupportedException($"The export computes '{name}' from the weights instead of copying them, so it cannot be read back.");
                }

                var index = (int)tag - 1;
                if (seen[index] && values[index] != saved[j])
                {
                    throw new InvalidDataException($"'{modelPath}' stores one weight twice with different values ('{name}').");
                }

                values[index] = saved[j];
                seen[index] = true;
            }
        }

        var extra = stored.Keys.Except(numbered.Keys).ToList();
        if (extra.Count > 0)
        {
            throw new InvalidDataException($"'{modelPath}' holds initializers this network does not export ({string.Join(", ", extra.Take(3))}): it was written for another architecture.");
        }

        var offset = 0;
        foreach (var (name, parameter) in named)
        {
            var count = (int)parameter.numel();
            if (Array.IndexOf(seen, false, offset, count) >= 0)
            {
                throw new InvalidDataException($"'{modelPath}' does not hold the weight '{name}'.");
            }

            parameter.copy_(tensor(values.AsSpan(offset, count).ToArray(), parameter.shape));
            offset += count;
        }
    }

    private static string ModelPath(string folder, string component) => Path.Combine(folder, component, "model.onnx");

    /// <summary>Numbers every weight element 1, 2, 3, ... in parameter order, or zeroes them all.</summary>
    private static void Fill(IEnumerable<Tensor> parameters, bool numbered)
    {
        var next = 1L;
        foreach (var p in parameters)
        {
            p.copy_(numbered ? arange(next, next + p.numel(), dtype: ScalarType.Float32).view(p.shape) : zeros_like(p));
            next += p.numel();
        }
    }

    private static Dictionary<string, float[]> Initializers(GraphProto graph, string source) =>
        graph.Initializer.Where(t => t.DataType is (int)DataType.Float or (int)DataType.Float16)
            .ToDictionary(t => t.Name, t => TensorValues.Floats(t, source));
}
