using WebStudio.Generation.Models;
using WebStudio.Generation.Tests.Pipelines;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Models;

/// <summary>Every broken folder gets a clear error that names the file (and input) at fault, at load time.</summary>
[Collection(TinyModelCollection.Name)]
public class ModelFolderErrorTests(TinyModelFolders models)
{
    [Theory]
    [InlineData(BrokenKind.MissingUnet, "unet/model.onnx")]
    [InlineData(BrokenKind.MissingMerges, "tokenizer/merges.txt")]
    [InlineData(BrokenKind.MisnamedUnetInput, "'sample'")]
    [InlineData(BrokenKind.MissingExternalData, "unet/model.onnx_data")]
    [InlineData(BrokenKind.TruncatedExternalData, "truncated")]
    [InlineData(BrokenKind.MalformedModelIndex, "model_index.json")]
    public void A_broken_folder_names_what_is_wrong(BrokenKind kind, string expected)
    {
        var folder = Path.Combine(models.Root, "broken-" + kind);
        TinyStableDiffusion.WriteBroken(folder, kind);
        var error = Assert.Throws<ModelLoadException>(() => StableDiffusionModel.Load(folder, new ModelLoadOptions { UseCuda = false }));
        Assert.Contains(expected, error.Message);
        if (kind == BrokenKind.MisnamedUnetInput)
        {
            Assert.Contains("unet/model.onnx", error.Message);
            Assert.Contains("latents", error.Message); // lists what the graph has instead
        }
    }

    [Fact]
    public void A_missing_folder_is_a_clear_error() =>
        Assert.Contains("does not exist", Assert.Throws<ModelLoadException>(() => StableDiffusionModel.Load(Path.Combine(models.Root, "nope"))).Message);

    [Theory]
    [InlineData("../etc")]
    [InlineData("..")]
    [InlineData("a/../../b")]
    [InlineData("%2e%2e%2fsecret")]
    [InlineData("/etc")]
    [InlineData("")]
    [InlineData("no-such-model")]
    public void Model_names_cannot_leave_the_models_directory(string name)
    {
        var catalogRoot = Path.Combine(models.Root, "catalog");
        models.Write(TinyModelVariant.DiffusersScript, Path.Combine("catalog", "tiny"));
        var catalog = new ModelCatalog(catalogRoot);
        Assert.Equal(["tiny"], catalog.List().Select(m => m.Name));
        Assert.Throws<ModelNotFoundException>(() => catalog.ResolveFolder(name));
    }

    [Fact]
    public void The_catalog_reads_the_native_size_from_the_folder()
    {
        models.Write(TinyModelVariant.DiffusersScript, Path.Combine("catalog2", "tiny"));
        var model = Assert.Single(new ModelCatalog(Path.Combine(models.Root, "catalog2")).List());
        Assert.Equal(TinyModelVariant.SampleSize * 8, model.NativeWidth);
    }
}
