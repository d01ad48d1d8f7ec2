using WebStudio.Generation.Models;
using WebStudio.Studio.ModelManagement;
using WebStudio.Studio.Vocabulary;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Web.Tests.ModelManagement;

/// <summary>What the model manager shows of a folder: the precision read from the UNet's sample input without
/// loading the graph, and nothing (not an error) for a file that is not ONNX.</summary>
[Trait("Capability", "UserModels")]
public sealed class ModelFiguresTests
{
    [Theory]
    [InlineData("DiffusersScript", "fp32")]
    [InlineData("Fp16", "fp16")]
    [InlineData("OptimumFp16Lcm", "fp16")]
    public void The_precision_comes_from_the_unets_sample_input(string variant, string precision)
    {
        var folder = TinyModelFolders.Shared.Folder(variant);

        Assert.Equal(precision, InstalledModel.Read(folder, isDefault: false, onCpu: true).Precision);
    }

    [Fact]
    public void On_the_cpu_a_float16_models_estimate_holds_its_weights_as_float32_and_a_float32_models_is_unchanged()
    {
        var half = TinyModelFolders.Shared.Folder("Fp16");
        var full = TinyModelFolders.Shared.Folder("DiffusersScript");
        var halfShapes = ModelShapes.Read(half);

        Assert.Equal(((long)(halfShapes.WeightBytes * ModelShapes.CpuHalfWeightFactor), 4), (halfShapes.OnCpu().WeightBytes, halfShapes.OnCpu().ElementBytes));
        Assert.Same(ModelShapes.Read(full) is var fullShapes ? fullShapes : null, fullShapes.OnCpu());
        Assert.True(InstalledModel.Read(half, isDefault: false, onCpu: true).MemoryEstimateBytes > InstalledModel.Read(half, isDefault: false, onCpu: false).MemoryEstimateBytes);
        Assert.Equal(InstalledModel.Read(full, isDefault: false, onCpu: false).MemoryEstimateBytes, InstalledModel.Read(full, isDefault: false, onCpu: true).MemoryEstimateBytes);
    }

    [Fact]
    public void A_broken_card_is_named_and_the_models_figures_are_still_shown_as_the_studio_still_runs_it()
    {
        using var folder = new TempFolder();
        var model = folder.Combine("broken-card");
        TinyStableDiffusion.Write(model, TinyModelFolders.Variant("DiffusersScript"));
        var intact = InstalledModel.Read(model, isDefault: false, onCpu: true);
        File.WriteAllText(Path.Combine(model, ModelCard.FileName), "{ \"defaults\": { \"steps\": ");

        var read = InstalledModel.Read(model, isDefault: false, onCpu: true);

        Assert.Null(read.Problem);
        Assert.Equal((intact.Precision, intact.Family, intact.MemoryEstimateBytes), (read.Precision, read.Family, read.MemoryEstimateBytes));
        Assert.StartsWith("card.json cannot be read", read.CardProblem, StringComparison.Ordinal);
        Assert.Null(intact.CardProblem);
    }

    [Fact]
    public void A_file_that_is_not_onnx_has_no_input_type()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("model.onnx");
        File.WriteAllBytes(path, [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2, 3]);

        Assert.Null(OnnxInputType.Read(path, "sample"));
        Assert.Null(OnnxInputType.Read(folder.Combine("missing.onnx"), "sample"));
    }
}
