using WebStudio.Trainer.Models;

namespace WebStudio.Trainer.Tests;

/// <summary>The trainer's command line on System.CommandLine: the same commands, options and defaults as the
/// hand-written parser it replaced, a working --help, and a clear error with a non-zero exit for a bad one.</summary>
[Trait("Capability", "StudioCore")]
public sealed class TrainerCommandLineTests
{
    private static readonly string[] CommandNames =
        ["all", "tokenizer", "train-vae", "encode", "train-unet", "import", "gpu-pack", "gpu-pack-edit", "encode-edit", "train-edit", "import-edit", "export-edit", "evaluate-edit", "export",
         "evaluate", "bench", "check"];

    private static readonly string[] OptionNames =
    [
        "--out", "--cache", "--config", "--vae-minutes", "--vae-steps", "--decoder-only", "--unet-minutes", "--unet-steps",
        "--lr", "--category-weights", "--placement-aux", "--layout-weight", "--edit-identity", "--text-guidance", "--image-guidance", "--cooldown-minutes", "--samples", "--batch",
        "--eval-count", "--sampler", "--images", "--scheduler", "--threads", "--resume", "--from", "--pack", "--seed",
    ];

    [Fact]
    public void Help_lists_every_command_and_option_and_succeeds()
    {
        var (code, output, _, ran) = Run("--help");
        Assert.Equal(0, code);
        Assert.Null(ran);
        Assert.All(CommandNames, name => Assert.Contains(name, output));
        Assert.All(OptionNames, name => Assert.Contains(name, output));

        (code, output, _, _) = Run("train-unet", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--category-weights", output);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_runs_its_stage_with_the_defaults(string command)
    {
        var (code, _, error, ran) = Run(command);
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Equal(command, ran?.Command);
        Assert.Equal(new TrainerOptions(), ran?.Options);
    }

    [Fact]
    public void Options_follow_the_command_as_before()
    {
        var (code, _, _, ran) = Run("train-unet", "--resume", "--lr", "1.5e-4", "--cooldown-minutes", "65", "--config", "tiny",
            "--category-weights", "Counting=2,Position=2,Letters=0.5", "--unet-steps", "100", "--threads", "1");
        Assert.Equal(0, code);
        var options = ran!.Value.Options;
        Assert.True(options.Resume);
        Assert.Equal(1.5e-4, options.LearningRate);
        Assert.Equal(65, options.CooldownMinutes);
        Assert.Same(ArchitectureConfig.Tiny, options.Config);
        Assert.Equal(2, options.CategoryWeights![WebStudio.ShapesWorld.Category.Position]);
        Assert.Equal(100, options.UNetSteps);
        Assert.Equal(1, options.Threads);
    }

    [Theory]
    [InlineData(new[] { "train-vae", "--bogus" }, "--bogus")]
    [InlineData(new[] { "train-unet", "--batch", "-3" }, "--batch")]
    [InlineData(new[] { "export", "--config", "huge" }, "--config")]
    [InlineData(new[] { "evaluate", "--sampler", "gpu" }, "gpu")]
    [InlineData(new[] { "train-unet", "--category-weights", "Shapes=2" }, "--category-weights")]
    [InlineData(new[] { "train-unet", "--out" }, "--out")]
    [InlineData(new[] { "fly" }, "fly")]
    [InlineData(new string[0], "command")]
    public void A_bad_command_line_names_the_fault_and_exits_non_zero(string[] args, string named)
    {
        var (code, _, error, ran) = Run(args);
        Assert.Equal(TrainerCli.BadUsage, code);
        Assert.Null(ran);
        Assert.Contains(named, error);
        Assert.Contains("--help", error);
    }

    public static TheoryData<string> Commands() => [.. CommandNames];

    private static (int Code, string Output, string Error, (string Command, TrainerOptions Options)? Ran) Run(params string[] args)
    {
        (string, TrainerOptions)? ran = null;
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = TrainerCli.Run(args, (command, options) => ran = (command, options), output, error);
        return (code, output.ToString(), error.ToString(), ran);
    }
}
