using WebStudio.Trainer.Models;

namespace WebStudio.Trainer.Tests;

public sealed class TrainerOptionsTests
{
    [Fact]
    public void ParsesStageOptions()
    {
        var options = TrainerOptions.Parse(["--out", "m", "--config", "tiny", "--unet-minutes", "2.5", "--batch", "8", "--resume", "--sampler", "onnx"]);
        Assert.Equal("m", options.Out);
        Assert.Same(ArchitectureConfig.Tiny, options.Config);
        Assert.Equal(2.5, options.UNetMinutes);
        Assert.Equal(8, options.Batch);
        Assert.True(options.Resume);
        Assert.Equal("onnx", options.Sampler);
    }

    [Theory]
    [InlineData("--bogus", "--bogus")]
    [InlineData("--batch", "--batch")]
    [InlineData("--config", "--config")]
    public void BadOptionsNameTheOption(string option, string named)
    {
        string[] args = option switch
        {
            "--batch" => ["--batch", "-3"],
            "--config" => ["--config", "huge"],
            _ => [option],
        };
        var error = Assert.Throws<ArgumentException>(() => TrainerOptions.Parse(args));
        Assert.Contains(named, error.Message);
    }
}
