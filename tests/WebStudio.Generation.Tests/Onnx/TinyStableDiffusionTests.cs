using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using WebStudio.Generation.Models.Diffusers;
using WebStudio.Testing.TinyModels;
using static WebStudio.Generation.Tests.Onnx.OrtTestRunner;
using DataType = Onnx.TensorProto.Types.DataType;
using OrtFloat16 = Microsoft.ML.OnnxRuntime.Float16;

namespace WebStudio.Generation.Tests.Onnx;

public sealed class TinyStableDiffusionTests(TinyModelFolders models) : IClassFixture<TinyModelFolders>
{
    private const int LatentSize = 4;

    private static NamedOnnxValue FloatInput(TinyModelVariant v, string name, float[] data, params int[] dims) =>
        v.Fp16 ? Halves(name, data, dims) : Floats(name, data, dims);

    private static Type FloatType(TinyModelVariant v) => v.Fp16 ? typeof(OrtFloat16) : typeof(float);

    private static int Batch(TinyModelVariant v) => v.FixedBatch1 ? 1 : 2;

    private static NamedOnnxValue[] UNetInputs(TinyModelVariant v, int seed = 0, float timestep = 500)
    {
        var batch = Batch(v);
        var inputs = new List<NamedOnnxValue>
        {
            FloatInput(v, "sample", Seeded(batch * v.UNetInChannels * LatentSize * LatentSize, seed), batch, v.UNetInChannels, LatentSize, LatentSize),
            FloatInput(v, "encoder_hidden_states", Seeded(batch * 77 * v.TextWidth, seed + 1), batch, 77, v.TextWidth),
        };
        inputs.Add(v.Exporter switch
        {
            TinyExporter.DiffusersScript => Longs("timestep", Enumerable.Repeat((long)timestep, batch).ToArray(), batch),
            TinyExporter.Optimum => FloatInput(v, "timestep", [timestep]),
            _ => FloatInput(v, "timestep", Enumerable.Repeat(timestep, batch).ToArray(), batch),
        });
        if (v.Lcm)
        {
            inputs.Add(FloatInput(v, "timestep_cond", Seeded(batch * 256, seed + 2), batch, 256));
        }

        return [.. inputs];
    }

    [Theory]
    [MemberData(nameof(TinyModelFolders.Names), MemberType = typeof(TinyModelFolders))]
    public void Folder_has_the_files_an_export_has(string name)
    {
        var v = TinyModelFolders.Variant(name);
        var folder = models.Folder(name);

        foreach (var file in new[]
                 {
                     "model_index.json", "scheduler/scheduler_config.json", "tokenizer/vocab.json", "tokenizer/merges.txt",
                     "tokenizer/tokenizer_config.json", "tokenizer/special_tokens_map.json", "unet/config.json", "vae_decoder/config.json",
                     "text_encoder/model.onnx", "unet/model.onnx", "vae_decoder/model.onnx", "vae_encoder/model.onnx",
                 })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{name}: {file} missing");
        }

        var externalFile = v.UNetExternalData?.FileName;
        Assert.Equal(externalFile is not null, externalFile is not null && File.Exists(Path.Combine(folder, "unet", externalFile)));
        var index = DiffusersJson.Read<ModelIndexFile>(folder, "model_index.json", required: true)!;
        Assert.StartsWith(v.Exporter == TinyExporter.Optimum ? "ORT" : v.InstructPix2Pix ? "StableDiffusion" : "Onnx", index.ClassName);
        var unetConfig = DiffusersJson.Read<UNetConfigFile>(folder, Path.Combine("unet", "config.json"), required: true)!;
        Assert.Equal(v.UNetInChannels, unetConfig.InChannels);
        Assert.Equal(v.TextWidth, Assert.Single(unetConfig.CrossAttentionDim!.Values));
        Assert.Equal(v.Lcm ? 256 : null, unetConfig.TimeCondProjDim);
        var scheduler = DiffusersJson.Read<SchedulerConfigFile>(folder, Path.Combine("scheduler", "scheduler_config.json"), required: true)!;
        Assert.Equal(0.00085, scheduler.BetaStart);
        Assert.Equal("scaled_linear", scheduler.BetaSchedule);
    }

    [Theory]
    [MemberData(nameof(TinyModelFolders.Names), MemberType = typeof(TinyModelFolders))]
    public void Text_encoder_takes_the_exporters_id_type_and_returns_both_outputs(string name)
    {
        var v = TinyModelFolders.Variant(name);
        var path = TinyStableDiffusion.ModelPath(models.Folder(name), "text_encoder");
        using var vocabulary = JsonDocument.Parse(File.ReadAllText(Path.Combine(models.Folder(name), "tokenizer", "vocab.json")));
        var vocabularySize = vocabulary.RootElement.EnumerateObject().Count();
        // Rows: BOS, one word (different per row), then EOS padding, as the CLIP tokenizer frames a prompt.
        var ids = new long[2 * 77];
        for (var row = 0; row < 2; row++)
        {
            ids[row * 77] = vocabularySize - 2;
            ids[row * 77 + 1] = 100 + row;
            Array.Fill(ids, vocabularySize - 1, row * 77 + 2, 75);
        }

        var input = v.InputIdsType == DataType.Int64
            ? Longs("input_ids", ids, 2, 77)
            : Ints("input_ids", ids.Select(i => (int)i).ToArray(), 2, 77);

        var outputs = Run(path, input);

        Assert.Equal([2, 77, v.TextWidth], outputs["last_hidden_state"].Shape);
        Assert.Equal([2, v.TextWidth], outputs["pooler_output"].Shape);
        Assert.Equal(FloatType(v), outputs["last_hidden_state"].ElementType);
        Assert.All(outputs["last_hidden_state"].Data, x => Assert.True(float.IsFinite(x)));
        // Different words in the two rows give different encodings.
        Assert.NotEqual(outputs["pooler_output"].Data[..v.TextWidth], outputs["pooler_output"].Data[v.TextWidth..]);
    }

    [Theory]
    [MemberData(nameof(TinyModelFolders.Names), MemberType = typeof(TinyModelFolders))]
    public void UNet_has_the_exporters_inputs_and_predicts_noise_of_latent_shape(string name)
    {
        var v = TinyModelFolders.Variant(name);
        var path = TinyStableDiffusion.ModelPath(models.Folder(name), "unet");
        using (var session = new InferenceSession(path))
        {
            var expected = v.Lcm
                ? new[] { "sample", "timestep", "encoder_hidden_states", "timestep_cond" }
                : ["sample", "timestep", "encoder_hidden_states"];
            Assert.Equal(expected, session.InputNames);
            Assert.Equal(v.ScalarTimestep ? 0 : 1, session.InputMetadata["timestep"].Dimensions.Length);
            Assert.Equal(v.FixedBatch1 ? 1 : -1, session.InputMetadata["sample"].Dimensions[0]);
        }

        var output = Run(path, UNetInputs(v))["out_sample"];

        Assert.Equal([Batch(v), 4, LatentSize, LatentSize], output.Shape);
        Assert.Equal(FloatType(v), output.ElementType);
        Assert.All(output.Data, x => Assert.True(float.IsFinite(x)));
    }

    [Theory]
    [InlineData("DiffusersScript")]
    [InlineData("OptimumFp16Lcm")]
    public void UNet_output_depends_on_every_input(string name)
    {
        var v = TinyModelFolders.Variant(name);
        var path = TinyStableDiffusion.ModelPath(models.Folder(name), "unet");
        var baseline = Run(path, UNetInputs(v))["out_sample"].Data;

        foreach (var changed in UNetInputs(v).Select(i => i.Name))
        {
            var inputs = UNetInputs(v).Select(i => i.Name == changed
                ? changed == "timestep" ? UNetInputs(v, timestep: 20).Single(x => x.Name == "timestep") : UNetInputs(v, seed: 9).Single(x => x.Name == changed)
                : i).ToArray();
            var output = Run(path, inputs)["out_sample"].Data;
            Assert.True(baseline.Zip(output).Any(p => MathF.Abs(p.First - p.Second) > 1e-3f), $"out_sample ignores {changed}");
        }
    }

    [Theory]
    [MemberData(nameof(TinyModelFolders.Names), MemberType = typeof(TinyModelFolders))]
    public void Vae_decoder_upsamples_by_8_into_minus_one_to_one(string name)
    {
        var v = TinyModelFolders.Variant(name);
        var path = TinyStableDiffusion.ModelPath(models.Folder(name), "vae_decoder");

        var output = Run(path, FloatInput(v, "latent_sample", Seeded(2 * 4 * 3 * 5, 4, scale: 5f), 2, 4, 3, 5))["sample"];

        Assert.Equal([2, 3, 24, 40], output.Shape);
        Assert.Equal(FloatType(v), output.ElementType);
        Assert.All(output.Data, x => Assert.InRange(x, -1f, 1f));
        Assert.True(output.Data.Max() - output.Data.Min() > 1e-3f, "decoded image is flat");
    }

    [Theory]
    [MemberData(nameof(TinyModelFolders.Names), MemberType = typeof(TinyModelFolders))]
    public void Vae_encoder_downsamples_by_8_to_the_exporters_output(string name)
    {
        var v = TinyModelFolders.Variant(name);
        var path = TinyStableDiffusion.ModelPath(models.Folder(name), "vae_encoder");

        var outputs = Run(path, FloatInput(v, "sample", Seeded(2 * 3 * 32 * 24, 5), 2, 3, 32, 24));

        var output = Assert.Single(outputs);
        Assert.Equal(v.EncoderOutputName, output.Key);
        Assert.Equal([2, v.EncoderOutputChannels, 4, 3], output.Value.Shape);
        Assert.Equal(FloatType(v), output.Value.ElementType);
    }

    [Theory]
    [InlineData("DiffusersScript")]
    [InlineData("OptimumFp16Lcm")]
    public void Writing_twice_gives_the_same_bytes(string name)
    {
        var v = TinyModelFolders.Variant(name);
        using var temp = new TempFolder();
        var first = temp.Combine("a");
        var second = temp.Combine("b");
        TinyStableDiffusion.Write(first, v);
        TinyStableDiffusion.Write(second, v);

        var files = Directory.GetFiles(first, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first, f)).Order().ToList();
        Assert.Equal(files, Directory.GetFiles(second, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(second, f)).Order());
        foreach (var file in files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(first, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, file))), $"{file} differs");
        }
    }

    [Fact]
    public void Largest_variant_is_wider_than_the_default()
    {
        var small = new FileInfo(TinyStableDiffusion.ModelPath(models.Folder("DiffusersScript"), "unet")).Length;
        var large = new FileInfo(TinyStableDiffusion.ModelPath(models.Folder("Largest"), "unet")).Length;

        Assert.Equal(128, TinyModelVariant.Largest.TextWidth);
        Assert.True(large > 8 * small, $"largest UNet {large} bytes vs tiny {small}");
    }
}
