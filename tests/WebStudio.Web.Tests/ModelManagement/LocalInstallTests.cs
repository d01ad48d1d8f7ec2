using System.IO.Compression;
using WebStudio.Studio.ModelManagement;
using WebStudio.Studio.Options;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Web.Tests.ModelManagement;

/// <summary>Installing from a folder or a zip, removing, and choosing the default model.</summary>
[Trait("Capability", "UserModels")]
public sealed class LocalInstallTests
{
    [Fact]
    public async Task A_folder_installs_under_a_safe_name_and_is_removed_again()
    {
        await using var world = new ModelManagerWorld();

        var model = await world.Installer.InstallFolderAsync(world.TinyModel, "my-model");

        Assert.Equal(["my-model"], world.Listed);
        Assert.Equal(InstalledModel.FolderSize(world.TinyModel), model.SizeBytes);
        Assert.True(File.Exists(Path.Combine(world.TinyModel, "unet", "model.onnx"))); // the source stays

        world.Installer.Remove("my-model");

        Assert.Empty(world.Listed);
        Assert.False(Directory.Exists(Path.Combine(world.ModelsPath, "my-model")));
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    public async Task A_name_that_could_leave_the_models_folder_is_refused(string name)
    {
        await using var world = new ModelManagerWorld();

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => world.Installer.InstallFolderAsync(world.TinyModel, name));

        Assert.Contains("is not a usable model name", error.Message, StringComparison.Ordinal);
        Assert.Empty(world.Listed);
    }

    [Fact]
    public async Task A_folder_without_the_onnx_layout_or_a_taken_name_is_refused()
    {
        await using var world = new ModelManagerWorld();
        Directory.CreateDirectory(Path.Combine(world.Scratch, "empty"));

        var missing = await Assert.ThrowsAsync<ModelInstallException>(() => world.Installer.InstallFolderAsync(Path.Combine(world.Scratch, "empty"), null));
        Assert.Contains("optimum-cli export onnx", missing.Message, StringComparison.Ordinal);

        await world.Installer.InstallFolderAsync(world.TinyModel, "taken");
        var taken = await Assert.ThrowsAsync<ModelInstallException>(() => world.Installer.InstallFolderAsync(world.TinyModel, "taken"));
        Assert.Contains("is installed already", taken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zip_of_a_model_folder_installs_whether_the_model_is_at_its_root_or_in_one_folder()
    {
        await using var world = new ModelManagerWorld();
        var flat = Path.Combine(world.Scratch, "flat.zip");
        ZipFile.CreateFromDirectory(world.TinyModel, flat);
        var nested = Path.Combine(world.Scratch, "nested.zip");
        ZipFile.CreateFromDirectory(world.TinyModel, nested, CompressionLevel.Fastest, includeBaseDirectory: true);

        await using (var zip = File.OpenRead(flat))
        {
            await world.Installer.InstallZipAsync(zip, "flat.zip", null);
        }

        await using (var zip = File.OpenRead(nested))
        {
            await world.Installer.InstallZipAsync(zip, "nested.zip", null);
        }

        Assert.Equal(["flat", "nested"], world.Listed);
        Assert.Equal(File.ReadAllBytes(Path.Combine(world.TinyModel, "unet", "model.onnx")), File.ReadAllBytes(Path.Combine(world.ModelsPath, "nested", "unet", "model.onnx")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(world.ModelsPath, ModelInstaller.StagingFolder)));
    }

    [Theory]
    [InlineData("../escaped.txt")]
    [InlineData("unet/../../escaped.txt")]
    [InlineData("/tmp/escaped.txt")]
    public async Task A_zip_with_an_entry_that_climbs_out_of_the_folder_is_refused(string entryName)
    {
        await using var world = new ModelManagerWorld();
        var path = Path.Combine(world.Scratch, "evil.zip");
        ZipFile.CreateFromDirectory(world.TinyModel, path);
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            using var writer = new StreamWriter(archive.CreateEntry(entryName).Open());
            writer.Write("pwned");
        }

        await using var zip = File.OpenRead(path);
        var error = await Assert.ThrowsAsync<ModelInstallException>(() => world.Installer.InstallZipAsync(zip, "evil.zip", null));

        Assert.Contains("would be written outside the model folder", error.Message, StringComparison.Ordinal);
        Assert.Empty(world.Listed);
        Assert.Empty(Directory.EnumerateFiles(world.Scratch, "escaped.txt", SearchOption.AllDirectories));
        Assert.False(File.Exists("/tmp/escaped.txt"));
    }

    [Fact]
    public async Task A_zip_that_unpacks_beyond_the_limit_is_refused()
    {
        await using var world = new ModelManagerWorld();
        world.Options.MaxZipBytes = 1000;
        var path = Path.Combine(world.Scratch, "big.zip");
        ZipFile.CreateFromDirectory(world.TinyModel, path);

        await using var zip = File.OpenRead(path);
        var error = await Assert.ThrowsAsync<ModelInstallException>(() => world.Installer.InstallZipAsync(zip, "big.zip", null));

        Assert.Contains("Models:MaxZipBytes", error.Message, StringComparison.Ordinal);
        Assert.Empty(world.Listed);
    }

    [Fact]
    public async Task The_default_is_kept_in_the_models_folder_and_applied_to_the_generation_settings()
    {
        await using var world = new ModelManagerWorld();
        await world.Installer.InstallFolderAsync(world.TinyModel, "first");
        await world.Installer.InstallFolderAsync(world.TinyModel, "second");

        world.Installer.SetDefault("second");

        Assert.Equal("second", world.Generation.DefaultModel);
        Assert.Equal("second", DefaultModelFile.Read(world.ModelsPath));
        Assert.Equal([false, true], world.Installer.List().Select(m => m.IsDefault));
        var next = new GenerationOptions { ModelsPath = world.ModelsPath, DefaultModel = "first" };
        new DefaultModelFile.Apply().PostConfigure(null, next); // how another host on this folder starts
        Assert.Equal("second", next.DefaultModel);

        var error = Assert.Throws<ModelInstallException>(() => world.Installer.Remove("second"));
        Assert.Contains("is the default model", error.Message, StringComparison.Ordinal);
        Assert.Contains("no model called 'third'", Assert.Throws<ModelInstallException>(() => world.Installer.SetDefault("third")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instruction_edit_model_cannot_be_the_default_and_the_refusal_names_one_that_can()
    {
        await using var world = new ModelManagerWorld();
        await world.Installer.InstallFolderAsync(world.TinyModel, "pictures");
        await world.Installer.InstallFolderAsync(TinyModelFolders.Shared.Folder("InstructPix2Pix"), "edits");
        world.Installer.SetDefault("pictures");

        var error = Assert.Throws<ModelInstallException>(() => world.Installer.SetDefault("edits"));

        Assert.Equal("'edits' edits images by instruction and makes no image from a prompt alone, so it cannot be the default: choose a text-to-image model, such as 'pictures'.", error.Message);
        Assert.Equal("pictures", world.Generation.DefaultModel);
        Assert.Equal("pictures", DefaultModelFile.Read(world.ModelsPath));
        Assert.Equal(["SD 1.x/2.x · instruction edit", "SD 1.x/2.x"], world.Installer.List().Select(m => m.FamilyName));
    }
}
