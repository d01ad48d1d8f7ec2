using WebStudio.Generation.Models;
using WebStudio.Generation.Previews;

namespace WebStudio.Generation.Tests.Previews;

[Trait("Capability", "UserModels")]
public sealed class PreviewOptionsTests
{
    [Fact]
    public void The_defaults_keep_today_s_previews_with_a_tiny_decoder_where_one_is_found()
    {
        var options = PreviewOptions.Parse(null, 1, null);

        Assert.Equal(PreviewDecoderMode.Auto, options.Decoder);
        Assert.Equal(1, options.Every);
        Assert.Empty(options.DecoderFolders);
    }

    [Fact]
    public void Settings_are_read_without_regard_to_case_and_folders_resolve_to_full_paths()
    {
        var options = PreviewOptions.Parse("projection", 4, new Dictionary<string, string?> { ["SD"] = "taesd", ["sdxl"] = "/models/taesdxl" });

        Assert.Equal(PreviewDecoderMode.Projection, options.Decoder);
        Assert.Equal(4, options.Every);
        Assert.Equal(Path.GetFullPath("taesd"), options.DecoderFolders[ModelFamily.StableDiffusion]);
        Assert.Equal("/models/taesdxl", options.DecoderFolders[ModelFamily.StableDiffusionXL]);
    }

    [Theory]
    [InlineData("Taesd", 1, null, null, "Generation:PreviewDecoder is 'Taesd'; it must be one of Auto, Projection, Vae.")]
    [InlineData("7", 1, null, null, "Generation:PreviewDecoder is '7'")]
    [InlineData("Auto", 0, null, null, "Generation:PreviewEvery is 0; it must be a number of steps from 1 to 150.")]
    [InlineData("Auto", 151, null, null, "Generation:PreviewEvery is 151")]
    [InlineData("Auto", 1, "sd3", "taesd3", "Generation:PreviewDecoders:sd3 names no model family; the families are sd and sdxl.")]
    [InlineData("Auto", 1, "sdxl", " ", "Generation:PreviewDecoders:sdxl is empty")]
    public void A_bad_setting_is_refused_with_its_key_and_what_it_may_be(string decoder, int every, string? family, string? folder, string expected)
    {
        var folders = family is null ? null : new Dictionary<string, string?> { [family] = folder };

        Assert.Contains(PreviewOptions.Problems(decoder, every, folders), p => p.StartsWith(expected, StringComparison.Ordinal));
        var error = Assert.Throws<ArgumentException>(() => PreviewOptions.Parse(decoder, every, folders));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = PreviewOptions.Problems("fast", -1, new Dictionary<string, string?> { ["flux"] = "x" });

        Assert.Equal(3, problems.Count);
    }
}
