using WebStudio.Generation.Models;
using WebStudio.Generation.Models.Diffusers;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Tests.Pipelines;
using WebStudio.Testing.TinyModels;
using WebStudio.Tests.Shared;

namespace WebStudio.Generation.Tests.Models;

/// <summary>An InstructPix2Pix-format folder is known by its model_index.json class and its 8-channel UNet, which must agree.</summary>
[Collection(TinyModelCollection.Name)]
[Trait("Capability", "InstructEdit")]
public class InstructPix2PixModelTests(TinyModelFolders models)
{
    private static readonly ModelLoadOptions Cpu = new() { UseCuda = false };

    [Theory]
    [InlineData("InstructPix2Pix")]
    [InlineData("InstructPix2PixOptimum")]
    public void An_instruction_model_is_recognised_when_loading(string name)
    {
        using var model = StableDiffusionModel.Load(models.Folder(name), Cpu);

        Assert.True(model.EditsByInstruction);
        Assert.Equal(8, model.UNet.InChannels);
        Assert.False(models.Load(TinyModelVariant.DiffusersScript).EditsByInstruction);
        Assert.False(models.Load(TinyModelVariant.Inpaint).EditsByInstruction);
    }

    [Theory]
    [InlineData("StableDiffusionInstructPix2PixPipeline", true)]
    [InlineData("OnnxStableDiffusionInstructPix2PixPipeline", true)]
    [InlineData("ORTStableDiffusionInstructPix2PixPipeline", true)]
    [InlineData("StableDiffusionXLInstructPix2PixPipeline", false)]
    [InlineData("OnnxStableDiffusionPipeline", false)]
    public void The_pipeline_classes_of_diffusers_the_onnx_community_and_optimum_are_known(string className, bool known) =>
        Assert.Equal(known, new ModelConfig { PipelineClass = className }.IsInstructPix2Pix);

    [Fact]
    public void An_InstructPix2Pix_class_over_a_4_channel_UNet_is_refused()
    {
        var error = LoadError(TinyModelVariant.DiffusersScript, folder => SetPipelineClass(folder, "StableDiffusionInstructPix2PixPipeline"));

        Assert.Contains("model_index.json names StableDiffusionInstructPix2PixPipeline", error.Message);
        Assert.Contains("unet/model.onnx takes 4 input channels, not 8", error.Message);
    }

    [Fact]
    public void An_8_channel_UNet_under_another_class_is_refused()
    {
        var error = LoadError(TinyModelVariant.InstructEdit, folder => SetPipelineClass(folder, "OnnxStableDiffusionPipeline"));

        Assert.Contains("unet/model.onnx takes 8 input channels", error.Message);
        Assert.Contains("'OnnxStableDiffusionPipeline'", error.Message);
    }

    [Fact]
    public void An_instruction_model_without_a_vae_encoder_is_refused()
    {
        var error = LoadError(TinyModelVariant.InstructEdit, folder => Directory.Delete(Path.Combine(folder, "vae_encoder"), recursive: true));

        Assert.Contains("vae_encoder/model.onnx", error.Message);
    }

    [Fact]
    public void The_catalogue_marks_instruction_models_before_loading_them()
    {
        using var temp = new TempFolder();
        TinyStableDiffusion.Write(temp.Combine("plain"), TinyModelVariant.DiffusersScript);
        TinyStableDiffusion.Write(temp.Combine("editor"), TinyModelVariant.InstructEdit);

        var listed = new ModelCatalog(temp.Path).List().ToDictionary(m => m.Name, m => m.EditsByInstruction);

        Assert.Equal(new Dictionary<string, bool> { ["editor"] = true, ["plain"] = false }, listed);
    }

    [Fact]
    public void The_memory_estimate_counts_three_UNet_rows_per_image()
    {
        var plain = ModelShapes.Read(models.Write(TinyModelVariant.DiffusersScript));
        var editor = ModelShapes.Read(models.Write(TinyModelVariant.InstructEdit));

        Assert.True(editor.InstructPix2Pix);
        var plainRun = MemoryEstimate.Of(plain, 64, 64, 2, 7.5f);
        var editRun = MemoryEstimate.Of(editor, 64, 64, 2, 7.5f);
        Assert.Equal(3 * plainRun.UNetActivations, 2 * editRun.UNetActivations);
        Assert.Equal(3 * plainRun.AttentionMap, 2 * editRun.AttentionMap);
    }

    /// <summary>Writes <paramref name="variant"/>, damages it, and returns the error loading it gives.</summary>
    private static ModelLoadException LoadError(TinyModelVariant variant, Action<string> damage)
    {
        using var temp = new TempFolder();
        TinyStableDiffusion.Write(temp.Path, variant);
        damage(temp.Path);
        return Assert.Throws<ModelLoadException>(() => StableDiffusionModel.Load(temp.Path, Cpu));
    }

    private static void SetPipelineClass(string folder, string className)
    {
        var path = Path.Combine(folder, "model_index.json");
        var index = DiffusersJson.Read<ModelIndexFile>(folder, "model_index.json", required: true)!;
        DiffusersJson.Write(path, index with { ClassName = className });
    }
}
