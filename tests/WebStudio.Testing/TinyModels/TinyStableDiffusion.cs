using Onnx;

namespace WebStudio.Testing.TinyModels;

/// <summary>
/// Writes tiny Stable-Diffusion-format ONNX model folders (deterministic random weights) laid out as the
/// exporters lay them out, plus deliberately broken ones for error tests.
/// </summary>
public static class TinyStableDiffusion
{
    public static void Write(string folder, TinyModelVariant variant)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(variant.Scale, 1);
        Directory.CreateDirectory(folder);
        TinyConfigFiles.Write(folder, variant);
        var vocabularySize = TinyTokenizerFiles.Vocabulary().Count;
        if (variant.IsXl)
        {
            WriteXlTextEncoders(folder, variant, vocabularySize);
        }
        else
        {
            TinyTokenizerFiles.Write(Path.Combine(folder, "tokenizer"), variant);
            ModelWriter.Save(TinyTextEncoder.Build(variant, vocabularySize), ModelPath(folder, "text_encoder"));
        }

        ModelWriter.Save(TinyUNet.Build(variant), ModelPath(folder, "unet"), variant.UNetExternalData);
        ModelWriter.Save(TinyVae.BuildDecoder(variant), ModelPath(folder, "vae_decoder"));
        ModelWriter.Save(TinyVae.BuildEncoder(variant), ModelPath(folder, "vae_encoder"));
    }

    /// <summary>Writes a working model folder, then damages it as <paramref name="kind"/> says.</summary>
    public static void WriteBroken(string folder, BrokenKind kind)
    {
        var externalData = kind is BrokenKind.MissingExternalData or BrokenKind.TruncatedExternalData;
        Write(folder, externalData ? TinyModelVariant.Optimum : TinyModelVariant.DiffusersScript);
        var dataPath = Path.Combine(folder, "unet", ExternalDataOptions.OptimumFileName);

        switch (kind)
        {
            case BrokenKind.MissingUnet:
                File.Delete(ModelPath(folder, "unet"));
                break;
            case BrokenKind.MissingMerges:
                File.Delete(Path.Combine(folder, "tokenizer", "merges.txt"));
                break;
            case BrokenKind.MisnamedUnetInput:
                RenameUNetSample(ModelPath(folder, "unet"));
                break;
            case BrokenKind.MissingExternalData:
                File.Delete(dataPath);
                break;
            case BrokenKind.TruncatedExternalData:
                using (var data = File.OpenWrite(dataPath))
                {
                    data.SetLength(data.Length / 2);
                }

                break;
            case BrokenKind.MalformedModelIndex:
                File.WriteAllText(Path.Combine(folder, "model_index.json"), "{ \"_class_name\": \"OnnxStableDiffusionPipeline\", \"unet\": [");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown broken-model kind.");
        }
    }

    /// <summary>SDXL's tokenizer/ and text_encoder/ (not in the refiner) and tokenizer_2/ (pad "!") and text_encoder_2/.</summary>
    private static void WriteXlTextEncoders(string folder, TinyModelVariant variant, int vocabularySize)
    {
        if (variant.Xl == TinyXl.Base)
        {
            TinyTokenizerFiles.Write(Path.Combine(folder, "tokenizer"), variant with { Sd2Tokenizer = false });
            ModelWriter.Save(TinyXlTextEncoder.Build(variant, vocabularySize, withProjection: false), ModelPath(folder, "text_encoder"));
        }

        TinyTokenizerFiles.Write(Path.Combine(folder, "tokenizer_2"), variant with { Sd2Tokenizer = true });
        ModelWriter.Save(TinyXlTextEncoder.Build(variant, vocabularySize, withProjection: true), ModelPath(folder, "text_encoder_2"));
    }

    public static string ModelPath(string folder, string component) => Path.Combine(folder, component, "model.onnx");

    /// <summary>Renames the graph input and every use of it, so the model stays valid but speaks another dialect.</summary>
    private static void RenameUNetSample(string path)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        model.Graph.Input.Single(i => i.Name == "sample").Name = "latents";
        foreach (var node in model.Graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == "sample")
                {
                    node.Input[i] = "latents";
                }
            }
        }

        ModelWriter.Save(model, path);
    }
}
