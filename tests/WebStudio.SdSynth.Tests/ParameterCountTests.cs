using WebStudio.SdSynth;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.SdSynth.Tests;

/// <summary>The SD 1.5-sized graphs, built without weights, have SD 1.5's parameter counts.</summary>
public class ParameterCountTests
{
    [Theory]
    [InlineData(SynthComponents.TextEncoder)]
    [InlineData(SynthComponents.UNet)]
    [InlineData(SynthComponents.VaeDecoder)]
    [InlineData(SynthComponents.VaeEncoder)]
    public void Each_graph_matches_sd15_within_a_tenth_of_a_percent(string component)
    {
        var parameters = SynthComponents.CountParameters(component, SdArchitecture.Sd15);

        var difference = Math.Abs(Sd15Reference.RelativeDifference(component, parameters));
        Assert.True(difference <= Sd15Reference.Tolerance,
            $"{component}: {parameters:N0} parameters, SD 1.5 has {Sd15Reference.Parameters[component]:N0} ({difference:P3} apart).");
    }

    [Fact]
    public void The_published_headline_figures_hold()
    {
        var report = SynthFolder.Count(SdArchitecture.Sd15, fp16: false);
        var counts = report.Components.ToDictionary(c => c.Component, c => c.Parameters);

        Assert.InRange(counts[SynthComponents.UNet], 859_000_000, 860_000_000);
        Assert.InRange(counts[SynthComponents.TextEncoder], 122_900_000, 123_200_000);
        Assert.InRange(counts[SynthComponents.VaeDecoder], 49_400_000, 49_600_000);
        Assert.InRange(report.TotalParameters, 1_060_000_000, 1_070_000_000);
        Assert.Contains("| unet | 859,520,964 | 859,520,964 |", report.ToTable());
    }

    [Fact]
    public void Half_precision_has_the_same_parameters()
    {
        Assert.Equal(
            SynthComponents.CountParameters(SynthComponents.UNet, SdArchitecture.Miniature, DataType.Float),
            SynthComponents.CountParameters(SynthComponents.UNet, SdArchitecture.Miniature, DataType.Float16));
    }
}
