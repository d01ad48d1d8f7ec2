using WebStudio.Trainer.Models;

namespace WebStudio.Trainer.Tests;

public sealed class TrainerOptionsTests
{
    [Fact]
    public void Parses_stage_options()
    {
        var options = TrainerOptions.Parse(["--out", "m", "--config", "tiny", "--unet-minutes", "2.5", "--batch", "8", "--resume", "--sampler", "onnx"]);
        Assert.Equal("m", options.Out);
        Assert.Same(ArchitectureConfig.Tiny, options.Config);
        Assert.Equal(2.5, options.UNetMinutes);
        Assert.Equal(8, options.Batch);
        Assert.True(options.Resume);
        Assert.Equal("onnx", options.Sampler);
    }

    [Fact]
    public void Parses_decoder_only_pack_and_VAE_sampler()
    {
        var defaults = TrainerOptions.Parse([]);
        Assert.False(defaults.DecoderOnly);
        Assert.Equal(0, defaults.PlacementAux);
        Assert.Equal(0.1, TrainerOptions.Parse(["--placement-aux", "0.1"]).PlacementAux);
        Assert.Equal(0, defaults.SpellingAux);
        Assert.Equal(0.2, TrainerOptions.Parse(["--spelling-aux", "0.2"]).SpellingAux);
        Assert.Equal(1, defaults.LayoutWeight);
        Assert.Equal(5, TrainerOptions.Parse(["--layout-weight", "5"]).LayoutWeight);
        Assert.Equal(0, defaults.EditIdentity);
        Assert.Equal(0.15, TrainerOptions.Parse(["--edit-identity", "0.15"]).EditIdentity);
        Assert.Equal(7.5f, defaults.TextGuidance);
        Assert.Equal(10f, TrainerOptions.Parse(["--text-guidance", "10"]).TextGuidance);
        Assert.Equal(1.5f, defaults.ImageGuidance);
        Assert.Equal(3f, TrainerOptions.Parse(["--image-guidance", "3"]).ImageGuidance);
        Assert.Null(defaults.AutoMask);
        Assert.Equal(("v1", "tune"), (defaults.EditSuite, TrainerOptions.Parse(["--edit-suite", "tune"]).EditSuite));
        Assert.Equal(0.3f, TrainerOptions.Parse(["--auto-mask", "0.3"]).AutoMask);
        Assert.Null(defaults.Pack);
        var options = TrainerOptions.Parse(["--decoder-only", "--pack", "p", "--sampler", "vae"]);
        Assert.True(options.DecoderOnly);
        Assert.Equal("p", options.Pack);
        Assert.Equal("vae", options.Sampler);
    }

    [Fact]
    public void Parses_import_and_rate_options()
    {
        var defaults = TrainerOptions.Parse([]);
        Assert.Null(defaults.From);
        Assert.Equal(3e-4, defaults.LearningRate);
        var options = TrainerOptions.Parse(["--from", "shipped", "--lr", "1.5e-4"]);
        Assert.Equal("shipped", options.From);
        Assert.Equal(1.5e-4, options.LearningRate);
    }

    [Fact]
    public void Parses_category_weights()
    {
        Assert.Null(TrainerOptions.Parse([]).CategoryWeights);
        var weights = TrainerOptions.Parse(["--category-weights", "counting=2, Position=1.5,Letters=0"]).CategoryWeights!;
        Assert.Equal(2, weights[WebStudio.ShapesWorld.Category.Counting]);
        Assert.Equal(1.5, weights[WebStudio.ShapesWorld.Category.Position]);
        Assert.Equal(0, weights[WebStudio.ShapesWorld.Category.Letters]);
    }

    [Theory]
    [InlineData("Shapes=2")]
    [InlineData("Counting")]
    [InlineData("Counting=-1")]
    [InlineData("SingleObject=0,TwoObjects=0,Counting=0,Colours=0,Position=0,ColourAttribution=0,Letters=0,Words=0")]
    public void Bad_category_weights_are_refused(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => TrainerOptions.Parse(["--category-weights", text]));
        Assert.Contains("--category-weights", error.Message);
    }

    [Fact]
    public void Parses_edit_kind_weights()
    {
        Assert.Null(TrainerOptions.Parse([]).EditKindWeights);
        var weights = TrainerOptions.Parse(["--edit-kind-weights", "count=2, Move=1.5"]).EditKindWeights!;
        Assert.Equal(2, weights[WebStudio.ShapesWorld.Editing.EditKind.Count]);
        Assert.Equal(1.5, weights[WebStudio.ShapesWorld.Editing.EditKind.Move]);
        Assert.Equal(2, weights.Count);
    }

    [Theory]
    [InlineData("Counting=2")]
    [InlineData("7=2")]
    [InlineData("Move=-1")]
    [InlineData("Recolour=0,Add=0,Remove=0,Move=0,Background=0,Count=0,Replace=0")]
    public void Bad_edit_kind_weights_are_refused(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => TrainerOptions.Parse(["--edit-kind-weights", text]));
        Assert.Contains("--edit-kind-weights", error.Message);
    }

    [Theory]
    [InlineData("--bogus", "--bogus")]
    [InlineData("--batch", "--batch")]
    [InlineData("--config", "--config")]
    public void Bad_options_name_the_option(string option, string named)
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
