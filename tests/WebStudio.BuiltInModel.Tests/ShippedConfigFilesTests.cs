using WebStudio.Generation.Models.Diffusers;

namespace WebStudio.BuiltInModel.Tests;

/// <summary>The trainer writes the shipped folder's config files through the core's snake_case records: each file,
/// read into its record and written back, is byte for byte the committed one (no key lost, none renamed or moved).</summary>
[Trait("Capability", "StudioCore")]
public sealed class ShippedConfigFilesTests : IDisposable
{
    private static readonly string Folder = Path.Combine(ShippedModel.RepositoryRoot(), "models", "webstudio-shapes");

    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("shipped-config-");

    [Fact]
    public void Model_index_round_trips_byte_for_byte() => AssertRoundTrip<ModelIndexFile>("model_index.json");

    [Fact]
    public void Scheduler_config_round_trips_byte_for_byte() => AssertRoundTrip<SchedulerConfigFile>("scheduler/scheduler_config.json");

    [Fact]
    public void UNet_config_round_trips_byte_for_byte() => AssertRoundTrip<UNetConfigFile>("unet/config.json");

    [Theory]
    [InlineData("vae_decoder/config.json")]
    [InlineData("vae_encoder/config.json")]
    public void Vae_configs_round_trip_byte_for_byte(string relative) => AssertRoundTrip<VaeConfigFile>(relative);

    [Fact]
    public void Text_encoder_config_round_trips_byte_for_byte() => AssertRoundTrip<ClipTextConfigFile>("text_encoder/config.json");

    [Fact]
    public void The_records_carry_the_shipped_values()
    {
        var index = DiffusersJson.Read<ModelIndexFile>(Folder, "model_index.json", required: true)!;
        var unet = DiffusersJson.Read<UNetConfigFile>(Folder, "unet/config.json", required: true)!;
        Assert.Equal("OnnxStableDiffusionPipeline", index.ClassName);
        Assert.Equal(new string?[] { "diffusers", "OnnxRuntimeModel" }, index.Unet);
        Assert.Equal(index.VaeScalingFactor, unet.VaeScalingFactor);
        Assert.Equal([32, 64, 128], unet.BlockOutChannels!);
        Assert.Equal(4, Assert.Single(unet.AttentionHeadDim!.Values));
    }

    private void AssertRoundTrip<T>(string relative) where T : class
    {
        var original = Path.Combine(Folder, relative);
        var config = DiffusersJson.Parse<T>(File.ReadAllText(original));
        var written = Path.Combine(_scratch.FullName, relative);
        DiffusersJson.Write(written, config);
        Assert.Equal(File.ReadAllText(original), File.ReadAllText(written));
    }

    public void Dispose() => _scratch.Delete(recursive: true);
}
