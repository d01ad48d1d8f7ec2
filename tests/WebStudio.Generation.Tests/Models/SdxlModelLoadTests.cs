using System.Text.Json.Nodes;
using WebStudio.Generation.Models;
using WebStudio.Testing;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Models;

/// <summary>SDXL folders are recognised by model_index.json, and parts that disagree are refused at load with a clear error.</summary>
[Trait("Capability", "UserModels")]
public sealed class SdxlModelLoadTests : IDisposable
{
    private static readonly ModelLoadOptions OnCpu = new() { UseCuda = false };
    private readonly TempFolder _temp = new();

    [Fact]
    public void An_SDXL_folder_loads_both_encoders_and_the_refiner_encoder_2_alone()
    {
        using var xl = StableDiffusionModel.Load(Folder("base", TinyModelVariant.SdxlBase), OnCpu);
        using var refiner = StableDiffusionModel.Load(Folder("refiner", TinyModelVariant.SdxlRefiner), OnCpu);

        Assert.Equal(["text_encoder", "text_encoder_2"], xl.TextEncoders.Select(p => p.Folder));
        Assert.Equal((true, false, true), (xl.Config.ForceZerosForEmptyPrompt, xl.Config.RequiresAestheticsScore, xl.Config.ForceUpcast));
        Assert.Equal(["text_encoder_2"], refiner.TextEncoders.Select(p => p.Folder));
        Assert.Equal((false, true), (refiner.Config.ForceZerosForEmptyPrompt, refiner.Config.RequiresAestheticsScore));
        Assert.Same(refiner.TextEncoders[0].Tokenizer, refiner.Tokenizer);
        // The studio counts tokens with the folder's tokenizer alone: the refiner's is tokenizer_2.
        Assert.Equal(refiner.Tokenizer.PadId, StableDiffusionModel.LoadTokenizer(Path.Combine(_temp.Path, "refiner")).PadId);
    }

    [Fact]
    public void An_SD_folder_stays_Stable_Diffusion_with_its_own_scaling_factor()
    {
        using var sd = StableDiffusionModel.Load(Folder("sd", TinyModelVariant.Optimum), OnCpu);
        Assert.Equal((ModelFamily.StableDiffusion, 0.18215f, false, false), (sd.Config.Family, sd.Config.ScalingFactor, sd.Config.ForceUpcast, sd.Config.ForceZerosForEmptyPrompt));
        Assert.Single(sd.TextEncoders);
    }

    [Fact]
    public void A_refiner_UNet_in_a_folder_that_does_not_ask_for_the_aesthetic_score_is_refused()
    {
        var folder = Folder("mismatch", TinyModelVariant.SdxlRefiner);
        EditModelIndex(folder, index => index.Remove("requires_aesthetics_score"));

        var error = Assert.Throws<ModelLoadException>(() => StableDiffusionModel.Load(folder, OnCpu));
        Assert.Contains("takes 5 time ids", error.Message);
        Assert.Contains("requires_aesthetics_score", error.Message);
    }

    [Fact]
    public void An_SDXL_UNet_under_an_SD_model_index_is_refused()
    {
        var folder = Folder("not-xl", TinyModelVariant.SdxlBase);
        EditModelIndex(folder, index =>
        {
            index["_class_name"] = "StableDiffusionPipeline";
            index.Remove("text_encoder_2");
        });

        var error = Assert.Throws<ModelLoadException>(() => StableDiffusionModel.Load(folder, OnCpu));
        Assert.Contains("text_embeds and time_ids", error.Message);
    }

    [Fact]
    public void An_SDXL_folder_without_text_encoder_2_is_refused()
    {
        var folder = Folder("no-encoder-2", TinyModelVariant.SdxlBase);
        File.Delete(TinyStableDiffusion.ModelPath(folder, "text_encoder_2"));

        var error = Assert.Throws<ModelLoadException>(() => StableDiffusionModel.Load(folder, OnCpu));
        Assert.Contains("text_encoder_2/model.onnx", error.Message);
    }

    [Fact]
    public void An_SDXL_encoder_exported_without_hidden_states_is_refused()
    {
        var folder = Folder("no-hidden", TinyModelVariant.SdxlBase);
        // An SD text encoder (last_hidden_state and pooler_output only) in text_encoder's place.
        var sd = Folder("sd-encoder", TinyModelVariant.Optimum);
        File.Copy(TinyStableDiffusion.ModelPath(sd, "text_encoder"), TinyStableDiffusion.ModelPath(folder, "text_encoder"), overwrite: true);

        var error = Assert.Throws<ModelLoadException>(() => StableDiffusionModel.Load(folder, OnCpu));
        Assert.Contains("text_encoder/model.onnx has no hidden_states.*", error.Message);
    }

    public void Dispose() => _temp.Dispose();

    private string Folder(string name, TinyModelVariant variant)
    {
        var folder = _temp.Combine(name);
        TinyStableDiffusion.Write(folder, variant);
        return folder;
    }

    private static void EditModelIndex(string folder, Action<JsonObject> edit)
    {
        var path = Path.Combine(folder, "model_index.json");
        var index = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(index);
        File.WriteAllText(path, index.ToJsonString());
    }
}
