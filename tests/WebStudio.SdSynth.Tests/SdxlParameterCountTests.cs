using WebStudio.SdSynth;

namespace WebStudio.SdSynth.Tests;

/// <summary>The SDXL-sized graphs, built without weights, have SDXL 1.0 base's parameter counts.</summary>
[Trait("Capability", "UserModels")]
public class SdxlParameterCountTests
{
    [Theory]
    [InlineData(SynthComponents.TextEncoder)]
    [InlineData(SynthComponents.TextEncoder2)]
    [InlineData(SynthComponents.UNet)]
    [InlineData(SynthComponents.VaeDecoder)]
    [InlineData(SynthComponents.VaeEncoder)]
    public void Each_graph_matches_sdxl_base_within_half_a_percent(string component)
    {
        var parameters = SynthComponents.CountParameters(component, SdArchitecture.Sdxl);

        var difference = Math.Abs(SdxlReference.RelativeDifference(component, parameters));
        Assert.True(difference <= SdxlReference.Tolerance,
            $"{component}: {parameters:N0} parameters, SDXL base has {SdxlReference.Parameters[component]:N0} ({difference:P3} apart).");
    }

    [Fact]
    public void The_issues_headline_figures_hold()
    {
        var report = SynthFolder.Count(SdArchitecture.Sdxl, fp16: true);
        var counts = report.Components.ToDictionary(c => c.Component, c => c.Parameters);

        Assert.Equal(SynthComponents.AllXl, report.Components.Select(c => c.Component));
        Assert.InRange(counts[SynthComponents.UNet], 2_554_000_000, 2_580_000_000);
        Assert.InRange(counts[SynthComponents.TextEncoder2], 691_200_000, 698_200_000);
        Assert.InRange(report.TotalParameters, 3_450_000_000, 3_490_000_000);
        Assert.Contains("| unet | 2,567,463,684 | 2,567,463,684 |", report.ToTable());
        Assert.Contains("| text_encoder_2 | 694,659,840 | 694,659,840 |", report.ToTable());
    }

    [Fact]
    public void The_sd15_graphs_are_unchanged_by_the_sdxl_options()
    {
        // SD 1.x keeps one transformer block per level but the last, 8 heads and 1×1 conv projections.
        Assert.Equal([1, 1, 1, 0], Enumerable.Range(0, 4).Select(SdArchitecture.Sd15.TransformerDepth));
        Assert.Equal(8, SdArchitecture.Sd15.HeadsFor(1280));
        Assert.Equal(768, SdArchitecture.Sd15.CrossAttentionDim);
        Assert.Equal(SynthComponents.All, SynthComponents.For(SdArchitecture.Sd15));
        Assert.Equal(2048, SdArchitecture.Sdxl.CrossAttentionDim);
        Assert.Equal([5, 10, 20], SdArchitecture.Sdxl.UNetChannels.Select(SdArchitecture.Sdxl.HeadsFor));
    }
}
