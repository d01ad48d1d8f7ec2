using WebStudio.Generation.Imaging;
using WebStudio.Generation.Tests.Onnx;

namespace WebStudio.Generation.Tests.Imaging;

public sealed class UpscalerCatalogTests
{
    [Fact]
    public void Lists_only_ONNX_files_directly_in_the_folder()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.Combine("RealESRGAN_x4plus.onnx"), [1]);
        File.WriteAllBytes(folder.Combine("4x-UltraSharp.onnx"), [1]);
        File.WriteAllText(folder.Combine("readme.txt"), "not a model");
        Directory.CreateDirectory(folder.Combine("nested"));
        File.WriteAllBytes(folder.Combine("nested", "hidden.onnx"), [1]);

        var names = new UpscalerCatalog(folder.Path).List().Select(d => d.Name).ToArray();

        Assert.Equal(["4x-UltraSharp", "RealESRGAN_x4plus"], names);
    }

    [Theory]
    [InlineData("../RealESRGAN_x4plus")]
    [InlineData("nested/hidden")]
    [InlineData("RealESRGAN_x4plus.onnx")]
    [InlineData("")]
    public void Finds_only_listed_names(string name)
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.Combine("RealESRGAN_x4plus.onnx"), [1]);
        Directory.CreateDirectory(folder.Combine("nested"));
        File.WriteAllBytes(folder.Combine("nested", "hidden.onnx"), [1]);
        var catalog = new UpscalerCatalog(folder.Path);

        Assert.Equal(folder.Combine("RealESRGAN_x4plus.onnx"), catalog.Find("RealESRGAN_x4plus").Path);
        Assert.Throws<UpscalerNotFoundException>(() => catalog.Find(name));
    }

    [Fact]
    public void A_missing_folder_lists_nothing()
    {
        using var folder = new TempFolder();
        Assert.Empty(new UpscalerCatalog(folder.Combine("absent")).List());
    }
}
