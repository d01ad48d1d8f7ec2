using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.SdSynth;
using WebStudio.Testing.TinyModels;

namespace WebStudio.SdSynth.Tests;

/// <summary>
/// The miniature SDXL folder (every SDXL block, shrunk) speaks optimum's SDXL export: the same input and output names
/// and dtypes as the tiny SDXL test models, external data for the UNet and text_encoder_2, SDXL's configs; and it
/// loads and runs through the SDXL pipeline.
/// </summary>
[Trait("Capability", "UserModels")]
[Collection(MiniatureCollection.Name)]
public class SdxlMiniatureTests(MiniatureFolders folders)
{
    private static readonly ModelLoadOptions CpuOnly = new() { UseCuda = false };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Graph_names_and_dtypes_match_the_tiny_optimum_sdxl_export(bool fp16)
    {
        var folder = folders.Get(fp16, SdArchitecture.MiniatureXl).Folder;
        var tiny = TinyModelFolders.Shared.Write(TinyModelVariant.SdxlBase with { Fp16 = fp16 });
        var layers1 = SdArchitecture.MiniatureXl.TextLayers;
        var layers2 = SdArchitecture.MiniatureXl.SecondText!.Layers;

        foreach (var component in new[] { "text_encoder", "text_encoder_2", "unet", "vae_decoder", "vae_encoder" })
        {
            using var ours = Session(folder, component);
            using var theirs = Session(tiny, component);
            Assert.Equal(Signature(theirs.InputMetadata), Signature(ours.InputMetadata));

            // The tiny encoders have 2 layers; ours have their own count of hidden_states.*, named the same way.
            var expected = Signature(theirs.OutputMetadata).Where(o => !o.Name.StartsWith("hidden_states.", StringComparison.Ordinal)).ToList();
            var layers = component == "text_encoder" ? layers1 : component == "text_encoder_2" ? layers2 : -1;
            var floatType = theirs.OutputMetadata.Values.First().ElementDataType;
            expected.AddRange(Enumerable.Range(0, layers + 1).Select(i => ($"hidden_states.{i}", floatType)));
            Assert.Equal(expected, Signature(ours.OutputMetadata));
        }

        Assert.True(File.Exists(Path.Combine(folder, "unet", "model.onnx_data")));
        Assert.True(File.Exists(Path.Combine(folder, "text_encoder_2", "model.onnx_data")));
        Assert.True(File.Exists(Path.Combine(folder, "tokenizer_2", "vocab.json")));
    }

    [Fact]
    public void Configs_say_what_sdxl_base_says()
    {
        var folder = folders.Get(fp16: true, SdArchitecture.MiniatureXl).Folder;

        var index = Json(folder, "model_index.json");
        Assert.Equal("StableDiffusionXLPipeline", (string?)index["_class_name"]);
        Assert.True((bool?)index["force_zeros_for_empty_prompt"]);
        Assert.Equal("CLIPTextModelWithProjection", (string?)index["text_encoder_2"]![1]);
        Assert.Equal("!", (string?)Json(folder, "tokenizer_2/tokenizer_config.json")["pad_token"]);
        Assert.Equal("<|endoftext|>", (string?)Json(folder, "tokenizer/tokenizer_config.json")["pad_token"]);

        var unet = Json(folder, "unet/config.json");
        Assert.Equal("text_time", (string?)unet["addition_embed_type"]);
        Assert.Equal(48 + 6 * 8, (int?)unet["projection_class_embeddings_input_dim"]);
        Assert.Equal(32 + 48, (int?)unet["cross_attention_dim"]);
        Assert.Equal("[0,1,2]", unet["transformer_layers_per_block"]!.ToJsonString());
        Assert.Equal("[2,4,4]", unet["attention_head_dim"]!.ToJsonString());
        Assert.Equal("""["DownBlock2D","CrossAttnDownBlock2D","CrossAttnDownBlock2D"]""", unet["down_block_types"]!.ToJsonString());
        Assert.Equal("""["CrossAttnUpBlock2D","CrossAttnUpBlock2D","UpBlock2D"]""", unet["up_block_types"]!.ToJsonString());
        Assert.True((bool?)unet["use_linear_projection"]);

        var vae = Json(folder, "vae_decoder/config.json");
        Assert.Equal(0.13025f, (float?)vae["scaling_factor"]);
        Assert.True((bool?)vae["force_upcast"]);
        Assert.Equal("gelu", (string?)Json(folder, "text_encoder_2/config.json")["hidden_act"]);
        Assert.Equal("quick_gelu", (string?)Json(folder, "text_encoder/config.json")["hidden_act"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task It_loads_through_the_sdxl_pipeline_and_one_step_gives_finite_latents(bool fp16)
    {
        using var model = StableDiffusionModel.Load(folders.Get(fp16, SdArchitecture.MiniatureXl).Folder, CpuOnly);
        var pipeline = new StableDiffusionPipeline(model);
        var steps = new FiniteLatents();

        using var result = await pipeline.RunAsync(new GenerationRequest
        {
            Prompt = "a photo of a red horse",
            NegativePrompt = "",
            Steps = 1,
            Guidance = 5f,
            Seed = 7,
            Width = 64,
            Height = 64,
            Scheduler = "Euler",
        }, steps);

        Assert.Equal(ModelFamily.StableDiffusionXL, model.Config.Family);
        Assert.Equal(0.13025f, model.Config.ScalingFactor);
        Assert.Equal(2, model.TextEncoders.Count);
        Assert.Equal(1, steps.Count);
        Assert.True(steps.AllFinite, "the latents held NaN or infinity");
        var image = Assert.Single(result.Images).Image;
        Assert.Equal((64, 64), (image.Width, image.Height));
    }

    private static InferenceSession Session(string folder, string component) =>
        new(Path.Combine(folder, component, "model.onnx"));

    private static List<(string Name, TensorElementType Type)> Signature(IReadOnlyDictionary<string, NodeMetadata> values) =>
        [.. values.Select(v => (v.Key, v.Value.ElementDataType))];

    private static JsonNode Json(string folder, string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, file)))!;
}
