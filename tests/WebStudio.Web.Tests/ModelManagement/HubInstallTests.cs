using WebStudio.Generation.Models;
using WebStudio.Studio.ModelManagement;

namespace WebStudio.Web.Tests.ModelManagement;

/// <summary>Installing from a Hugging Face repository, against a local fake Hub serving the tiny model: the listing,
/// LFS hashes, Range resumes, the free-space check and the refusal of a repository with no ONNX export.</summary>
[Trait("Capability", "UserModels")]
public sealed class HubInstallTests
{
    [Fact]
    public async Task A_hub_repository_installs_into_place_with_its_card_and_figures()
    {
        await using var world = new ModelManagerWorld();
        var reports = new List<ModelInstallProgress>();

        var model = await world.Installer.InstallFromHubAsync(ModelManagerWorld.Repo, null, null, null, new SyncProgress(reports.Add));

        Assert.Equal("tiny-onnx", model.Name);
        Assert.Equal(["tiny-onnx"], world.Listed);
        Assert.Equal(File.ReadAllBytes(Path.Combine(world.TinyModel, "unet", "model.onnx")), File.ReadAllBytes(Path.Combine(world.ModelsPath, "tiny-onnx", "unet", "model.onnx")));
        Assert.Equal("# Tiny ONNX\nA tiny model for tests.", model.Card);
        Assert.Equal("fp32", model.Precision);
        Assert.Equal(ModelFamily.StableDiffusion, model.Family);
        Assert.True(model.MemoryEstimateBytes > 0);
        Assert.Equal(InstalledModel.FolderSize(world.TinyModel) + ModelManagerWorld.Readme.Length, model.SizeBytes);
        Assert.Equal(ModelInstallStage.Installed, reports[^1].Stage);
        Assert.Contains(reports, r => r.Stage == ModelInstallStage.Downloading && r.BytesTotal == model.SizeBytes);
        Assert.False(Directory.Exists(Path.Combine(world.ModelsPath, ModelInstaller.StagingFolder, "tiny-onnx")));
        // Files are fetched at the commit the revision resolved to, so a branch moving meanwhile cannot mix two.
        Assert.All(world.Hub.Requests.Where(r => r.Path.Contains("/resolve/", StringComparison.Ordinal)), r => Assert.Contains(FakeHubCommit, r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_download_cut_off_mid_file_resumes_with_a_range_request_and_is_not_sent_again()
    {
        await using var world = new ModelManagerWorld();
        var unet = File.ReadAllBytes(Path.Combine(world.TinyModel, "unet", "model.onnx"));
        var half = unet.Length / 2;
        world.Hub.CutOnce("unet/model.onnx", half);

        await world.Installer.InstallFromHubAsync(ModelManagerWorld.Repo, "main", null, "resumed");

        var downloads = world.Hub.Requests.Where(r => r.Path.EndsWith("/unet/model.onnx", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, downloads.Count);
        Assert.Null(downloads[0].Range);
        Assert.Equal(half, downloads[0].BytesSent);
        Assert.Equal($"bytes={half}-", downloads[1].Range);
        Assert.Equal(unet.Length - half, downloads[1].BytesSent);
        Assert.Equal(unet, File.ReadAllBytes(Path.Combine(world.ModelsPath, "resumed", "unet", "model.onnx")));
    }

    [Fact]
    public async Task A_file_whose_sha256_does_not_match_is_refused_and_nothing_is_installed()
    {
        await using var world = new ModelManagerWorld();
        world.Hub.Corrupt(ModelManagerWorld.Repo, "unet/model.onnx");

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => world.Installer.InstallFromHubAsync(ModelManagerWorld.Repo, null, null, null));

        Assert.Contains("unet/model.onnx is corrupted", error.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        Assert.Empty(world.Listed);
        Assert.False(Directory.Exists(Path.Combine(world.ModelsPath, "tiny-onnx")));
        Assert.False(File.Exists(Path.Combine(world.ModelsPath, ModelInstaller.StagingFolder, "tiny-onnx", "unet", "model.onnx")));
        Assert.Equal(ModelInstallStage.Failed, world.Notifier.Latest.Single().Stage);
    }

    [Fact]
    public async Task A_full_disk_is_refused_before_anything_is_downloaded()
    {
        await using var world = new ModelManagerWorld(freeBytes: 1000);

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => world.Installer.InstallFromHubAsync(ModelManagerWorld.Repo, null, null, null));

        Assert.StartsWith("Not enough disk space to install 'tiny-onnx'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(world.Hub.Requests, r => r.Path.Contains("/resolve/", StringComparison.Ordinal));
        Assert.Empty(world.Listed);
    }

    [Fact]
    public async Task A_repository_without_an_onnx_export_is_refused_with_the_conversion_command()
    {
        await using var world = new ModelManagerWorld();
        world.Hub.AddFile("someone/pytorch-only", "model_index.json", "{}"u8.ToArray());
        world.Hub.AddFile("someone/pytorch-only", "unet/diffusion_pytorch_model.safetensors", new byte[100]);

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => world.Installer.InstallFromHubAsync("someone/pytorch-only", null, null, null));

        Assert.Contains("has no ONNX Stable Diffusion export", error.Message, StringComparison.Ordinal);
        Assert.Contains("optimum-cli export onnx --model someone/pytorch-only --task text-to-image <dir>", error.Message, StringComparison.Ordinal);
        Assert.Empty(world.Listed);
        Assert.DoesNotContain(world.Hub.Requests, r => r.Path.Contains("/resolve/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_subfolder_at_a_revision_installs_and_the_token_goes_as_a_bearer_header()
    {
        await using var world = new ModelManagerWorld(token: "hf_test");
        world.Hub.RequiredToken = "hf_test";
        world.Hub.AddFolder("org/collection", world.TinyModel, under: "onnx/tiny");

        var model = await world.Installer.InstallFromHubAsync("org/collection", FakeHubCommit, "onnx/tiny", null);

        Assert.Equal("collection-onnx-tiny", model.Name);
        Assert.True(File.Exists(Path.Combine(model.Folder, "unet", "model.onnx")));
        Assert.All(world.Hub.Requests, r => Assert.Equal("Bearer hf_test", r.Authorization));
    }

    [Fact]
    public async Task A_tree_listed_in_pages_is_followed_to_its_last_page()
    {
        await using var world = new ModelManagerWorld();
        world.Hub.TreePageSize = 3;

        var model = await world.Installer.InstallFromHubAsync(ModelManagerWorld.Repo, null, null, null);

        Assert.Equal(InstalledModel.FolderSize(world.TinyModel) + ModelManagerWorld.Readme.Length, model.SizeBytes);
        Assert.True(world.Hub.Requests.Count(r => r.Path.Contains("/tree/", StringComparison.Ordinal)) > 3);
    }

    [Fact]
    public async Task Without_the_token_a_gated_repository_asks_for_hf_token()
    {
        await using var world = new ModelManagerWorld();
        world.Hub.RequiredToken = "hf_test";

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => world.Installer.InstallFromHubAsync(ModelManagerWorld.Repo, null, null, null));

        Assert.Contains("set HF_TOKEN", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b/c")]
    [InlineData("")]
    public async Task A_malformed_repository_id_is_refused(string repo)
    {
        await using var world = new ModelManagerWorld();

        var error = await Assert.ThrowsAsync<ModelInstallException>(() => world.Installer.InstallFromHubAsync(repo, null, null, null));

        Assert.Contains("is not a Hub repository id", error.Message, StringComparison.Ordinal);
    }

    private const string FakeHubCommit = WebStudio.Testing.Servers.FakeHub.Commit;

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts them, so the last might come after the assert).</summary>
    private sealed class SyncProgress(Action<ModelInstallProgress> report) : IProgress<ModelInstallProgress>
    {
        public void Report(ModelInstallProgress value) => report(value);
    }
}
