using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using WebStudio.Generation.Models.Diffusers;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Onnx;

/// <summary>The tiny SDXL-shaped folders have the files, names, shapes and dtypes of optimum's SDXL export.</summary>
[Trait("Capability", "UserModels")]
public sealed class TinySdxlTests(TinyModelFolders models) : IClassFixture<TinyModelFolders>
{
    public static TheoryData<string> XlVariants() => ["base", "base-fp16", "refiner", "turbo", "refiner-fp16"];

    internal static TinyModelVariant Xl(string name) => name switch
    {
        "base" => TinyModelVariant.SdxlBase,
        "base-fp16" => TinyModelVariant.SdxlBase with { Fp16 = true },
        "refiner" => TinyModelVariant.SdxlRefiner,
        "refiner-fp16" => TinyModelVariant.SdxlRefiner with { Fp16 = true },
        "turbo" => TinyModelVariant.SdxlTurbo,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(XlVariants))]
    public void Folder_has_the_files_and_graph_names_of_optimums_SDXL_export(string name)
    {
        var v = Xl(name);
        var folder = models.Write(v);
        var refiner = v.Xl == TinyXl.Refiner;
        var floatType = v.Fp16 ? TensorElementType.Float16 : TensorElementType.Float;

        foreach (var file in new[] { "model_index.json", "scheduler/scheduler_config.json", "tokenizer_2/vocab.json", "tokenizer_2/merges.txt",
                     "text_encoder_2/model.onnx", "unet/model.onnx", "unet/model.onnx_data", "vae_decoder/model.onnx", "vae_encoder/model.onnx" })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{name}: {file} missing");
        }

        Assert.Equal(!refiner, File.Exists(Path.Combine(folder, "text_encoder", "model.onnx")));
        Assert.Equal(!refiner, File.Exists(Path.Combine(folder, "tokenizer", "vocab.json")));

        if (!refiner)
        {
            using var encoder1 = Session(folder, "text_encoder");
            Assert.Equal(TensorElementType.Int64, encoder1.InputMetadata["input_ids"].ElementDataType);
            Assert.Equal(["last_hidden_state", "pooler_output", "hidden_states.0", "hidden_states.1", "hidden_states.2"], encoder1.OutputMetadata.Keys);
            Assert.All(encoder1.OutputMetadata.Values, o => Assert.Equal(floatType, o.ElementDataType));
            Assert.Equal([-1, 77, v.Text1Width], encoder1.OutputMetadata["hidden_states.1"].Dimensions);
        }

        using var encoder2 = Session(folder, "text_encoder_2");
        Assert.Equal(["text_embeds", "last_hidden_state", "hidden_states.0", "hidden_states.1", "hidden_states.2"], encoder2.OutputMetadata.Keys);
        Assert.Equal([-1, v.PooledWidth], encoder2.OutputMetadata["text_embeds"].Dimensions);
        Assert.Equal([-1, 77, v.Text2Width], encoder2.OutputMetadata["hidden_states.1"].Dimensions);

        using var unet = Session(folder, "unet");
        Assert.Equal(["sample", "timestep", "encoder_hidden_states", "text_embeds", "time_ids"], unet.InputMetadata.Keys);
        Assert.All(unet.InputMetadata.Values, i => Assert.Equal(floatType, i.ElementDataType));
        Assert.Empty(unet.InputMetadata["timestep"].Dimensions);
        Assert.Equal([-1, -1, refiner ? v.Text2Width : v.Text1Width + v.Text2Width], unet.InputMetadata["encoder_hidden_states"].Dimensions);
        Assert.Equal([-1, v.PooledWidth], unet.InputMetadata["text_embeds"].Dimensions);
        Assert.Equal([-1, refiner ? 5 : 6], unet.InputMetadata["time_ids"].Dimensions);
        Assert.Equal(["out_sample"], unet.OutputMetadata.Keys);
    }

    [Theory]
    [MemberData(nameof(XlVariants))]
    public void Configs_say_what_SDXL_folders_say(string name)
    {
        var v = Xl(name);
        var folder = models.Write(v);
        var refiner = v.Xl == TinyXl.Refiner;

        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "model_index.json")))!;
        Assert.Equal(refiner ? "StableDiffusionXLImg2ImgPipeline" : "StableDiffusionXLPipeline", (string?)index["_class_name"]);
        Assert.Equal(!refiner, (bool?)index["force_zeros_for_empty_prompt"]);
        Assert.Equal(refiner ? true : null, (bool?)index["requires_aesthetics_score"]);
        Assert.NotNull(index["text_encoder_2"]);
        Assert.NotNull(index["tokenizer_2"]);

        var vae = DiffusersJson.Read<VaeConfigFile>(folder, "vae_decoder/config.json", required: true)!;
        Assert.Equal(0.13025f, vae.ScalingFactor);
        Assert.True(vae.ForceUpcast);

        var scheduler = DiffusersJson.Read<SchedulerConfigFile>(folder, "scheduler/scheduler_config.json", required: true)!;
        Assert.Equal(v.Turbo ? "trailing" : "leading", scheduler.TimestepSpacing);
        Assert.Equal(v.Turbo ? "EulerAncestralDiscreteScheduler" : "EulerDiscreteScheduler", scheduler.ClassName);

        var tokenizer2 = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer_2", "tokenizer_config.json")))!;
        Assert.Equal("!", (string?)tokenizer2["pad_token"]);
        if (!refiner)
        {
            var tokenizer1 = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer", "tokenizer_config.json")))!;
            Assert.Equal("<|endoftext|>", (string?)tokenizer1["pad_token"]);
        }
    }

    [Fact]
    public void A_fixed_fp16_VAE_says_force_upcast_false()
    {
        var folder = models.Write(TinyModelVariant.SdxlBase with { Fp16 = true, FixedFp16Vae = true });
        Assert.False(DiffusersJson.Read<VaeConfigFile>(folder, "vae_decoder/config.json", required: true)!.ForceUpcast);
    }

    private static InferenceSession Session(string folder, string component) => new(TinyStableDiffusion.ModelPath(folder, component));
}
