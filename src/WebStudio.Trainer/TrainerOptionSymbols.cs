using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using WebStudio.ShapesWorld;
using WebStudio.ShapesWorld.Editing;
using WebStudio.Trainer.Models;

namespace WebStudio.Trainer;

/// <summary>The options every command takes, as System.CommandLine symbols, and how a parse result becomes
/// <see cref="TrainerOptions"/>. An option left out keeps <see cref="TrainerOptions"/>' default.</summary>
internal sealed class TrainerOptionSymbols
{
    private static readonly TrainerOptions Defaults = new();

    public Option<string?> Out { get; } = Text("--out", "DIR", "model folder (default models/webstudio-shapes; models/webstudio-edit for the *-edit commands)");
    public Option<string?> Cache { get; } = Text("--cache", "DIR", "checkpoints and latents (default ~/.cache/webstudio/trainer)");
    public Option<ArchitectureConfig?> Config { get; } = new("--config")
    {
        HelpName = "full|full-attention16|tiny",
        Description = "architecture preset (default full)",
        Recursive = true,
        CustomParser = result => Guarded(result, ArchitectureConfig.Named),
    };

    public Option<double?> VaeMinutes { get; } = Number("--vae-minutes", "M", "VAE training time budget (default 12)");
    public Option<double?> VaeSteps { get; } = Number("--vae-steps", "N", "VAE step limit (default unlimited within the time budget)");
    public Option<bool> DecoderOnly { get; } = Flag("--decoder-only", "train-vae trains the decoder alone on the cache's VAE (encoder, latents and UNet stay valid)");
    public Option<double?> UNetMinutes { get; } = Number("--unet-minutes", "M", "UNet training time budget (default 60)");
    public Option<double?> UNetSteps { get; } = Number("--unet-steps", "N", "UNet step limit (default unlimited within the time budget)");
    public Option<double?> EditMinutes { get; } = Number("--edit-minutes", "M", "instruction-edit training time budget (default 50)");
    public Option<double?> EditSteps { get; } = Number("--edit-steps", "N", "instruction-edit step limit (default unlimited within the time budget)");
    public Option<double?> LearningRate { get; } = Number("--lr", "R", "UNet peak learning rate, reached after a 300-step warm-up in every run (default 3e-4)");
    public Option<IReadOnlyDictionary<Category, double>?> CategoryWeights { get; } = new("--category-weights")
    {
        HelpName = "W",
        Description = "UNet draws scenes of these categories more or less often than the data holds them, e.g. \"Counting=2,Position=2,Letters=0.5\" (default: as stored)",
        Recursive = true,
        CustomParser = result => Guarded(result, text => Weights<Category>("--category-weights", text)),
    };

    public Option<IReadOnlyDictionary<EditKind, double>?> EditKindWeights { get; } = new("--edit-kind-weights")
    {
        HelpName = "W",
        Description = "train-edit draws triples of these edit kinds more or less often than the data holds them, e.g. \"Count=2,Move=1.5,Replace=1.5\" (default: as stored)",
        Recursive = true,
        CustomParser = result => Guarded(result, text => Weights<EditKind>("--edit-kind-weights", text)),
    };

    public Option<double?> SpellingAux { get; } = Number("--spelling-aux", "W", "UNet training also fits a linear probe on the text state of each token of a written word (Words captions) to that word's letters, slot by slot, with this loss weight (default 0: off)");

    public Option<double?> PlacementAux { get; } = Number("--placement-aux", "W", "UNet training also fits a linear probe on each shape noun's text state to the place its caption gives it (Position captions), with this loss weight (default 0: off)");
    public Option<double?> LayoutWeight { get; } = Number("--layout-weight", "K", "UNet (and edit UNet) loss at the noisiest timesteps (SNR < 0.2, where sampling decides the layout) weighs up to K times more (0.2/SNR, capped at K; default 1: off)");
    public Option<double?> TextGuidance { get; } = Number("--text-guidance", "G", "evaluate-edit's text guidance (default 7.5, the studio's)");
    public Option<double?> ImageGuidance { get; } = Number("--image-guidance", "G", "evaluate-edit's image guidance (default 1.5, the studio's)");
    public Option<double?> AutoMask { get; } = Number("--auto-mask", "T", "evaluate-edit keeps what the instruction does not touch: the automatic mask repaints only latent cells whose change reaches this share of the strongest (default: off)");
    public Option<double?> EditIdentity { get; } = Number("--edit-identity", "P", "instruction-edit training: this share of the samples has no instruction and the input scene as its target, so that the guidance's image-only term copies the input (default 0: InstructPix2Pix's 5% with no instruction keep the edited scene)");
    public Option<double?> CooldownMinutes { get; } = Number("--cooldown-minutes", "M", "the learning rate falls linearly to 5% over the budget's last M minutes (default 0)");
    public Option<double?> Samples { get; } = Number("--samples", "N", "images encoded for UNet training, or edit triples for encode-edit (default 20000)");
    public Option<double?> Batch { get; } = Number("--batch", "N", "UNet batch size (default 32)");
    public Option<double?> EvalCount { get; } = Number("--eval-count", "N", "EvalSuite prompts to score (default 140; 0 = the full suite)");
    public Option<string?> Sampler { get; } = Choice("--sampler", "evaluate with the app's pipeline (default), the trainer's own DDIM loop, or score the suite's ground truth through the folder's VAE (encode, decode): the ceiling the VAE sets", "app", "onnx", "vae");
    public Option<string?> Suite { get; } = Choice("--suite", "what evaluate scores: EvalSuite v1 (default: the seven categories), words-v1 (one prompt per held-out word) or seen-words-v1 (the same on every fifth training word)", "v1", "words", "seen-words");
    public Option<string?> EditSuite { get; } = Choice("--edit-suite", "what evaluate-edit scores: EditSuite edit-v1 (default: the figures a model's README reports) or edit-tune-v1 (210 other held-out cases, for choosing settings and checkpoints)", "v1", "tune");
    public Option<string?> Images { get; } = Text("--images", "DIR", "evaluate also saves each generated image there as {prompt id}.png");
    public Option<string?> Scheduler { get; } = Text("--scheduler", "NAME", "app scheduler for evaluate (default \"DDIM\")");
    public Option<double?> Threads { get; } = Number("--threads", "N", "torch/ORT threads (default 2)");
    public Option<bool> Resume { get; } = Flag("--resume", "continue from the checkpoints in --cache");
    public Option<string?> From { get; } = Text("--from", "DIR", "the folder `import` reads (default: --out); the base model the *-edit commands start from (default models/webstudio-shapes)");
    public Option<string?> Pack { get; } = Text("--pack", "DIR", "the folder `gpu-pack` writes (default: <cache>/gpu-pack; `gpu-pack-edit`: <cache>/gpu-pack-edit)");
    public Option<double?> Seed { get; } = Number("--seed", "N", "data/initialisation seed (default 1234)");

    public IEnumerable<Option> All =>
    [
        Out, Cache, Config, VaeMinutes, VaeSteps, DecoderOnly, UNetMinutes, UNetSteps, EditMinutes, EditSteps, LearningRate, CategoryWeights, EditKindWeights,
        PlacementAux, SpellingAux, LayoutWeight, EditIdentity, TextGuidance, ImageGuidance, AutoMask, CooldownMinutes, Samples, Batch, EvalCount, Sampler, Suite, EditSuite, Images, Scheduler, Threads,
        Resume, From, Pack, Seed,
    ];

    public TrainerOptions Read(ParseResult result) => new()
    {
        Out = result.GetValue(Out) ?? Defaults.Out,
        EditOut = result.GetValue(Out) ?? Defaults.EditOut,
        Cache = result.GetValue(Cache) ?? Defaults.Cache,
        Config = result.GetValue(Config) ?? Defaults.Config,
        VaeMinutes = result.GetValue(VaeMinutes) ?? Defaults.VaeMinutes,
        VaeSteps = result.GetValue(VaeSteps) is { } vaeSteps ? (long)vaeSteps : Defaults.VaeSteps,
        DecoderOnly = result.GetValue(DecoderOnly),
        UNetMinutes = result.GetValue(UNetMinutes) ?? Defaults.UNetMinutes,
        UNetSteps = result.GetValue(UNetSteps) is { } unetSteps ? (long)unetSteps : Defaults.UNetSteps,
        EditMinutes = result.GetValue(EditMinutes) ?? Defaults.EditMinutes,
        EditSteps = result.GetValue(EditSteps) is { } editSteps ? (long)editSteps : Defaults.EditSteps,
        LearningRate = result.GetValue(LearningRate) ?? Defaults.LearningRate,
        CategoryWeights = result.GetValue(CategoryWeights),
        EditKindWeights = result.GetValue(EditKindWeights),
        PlacementAux = result.GetValue(PlacementAux) ?? Defaults.PlacementAux,
        SpellingAux = result.GetValue(SpellingAux) ?? Defaults.SpellingAux,
        LayoutWeight = result.GetValue(LayoutWeight) ?? Defaults.LayoutWeight,
        EditIdentity = result.GetValue(EditIdentity) ?? Defaults.EditIdentity,
        TextGuidance = result.GetValue(TextGuidance) is { } textGuidance ? (float)textGuidance : Defaults.TextGuidance,
        ImageGuidance = result.GetValue(ImageGuidance) is { } imageGuidance ? (float)imageGuidance : Defaults.ImageGuidance,
        AutoMask = result.GetValue(AutoMask) is { } autoMask ? (float)autoMask : Defaults.AutoMask,
        CooldownMinutes = result.GetValue(CooldownMinutes) ?? Defaults.CooldownMinutes,
        Samples = result.GetValue(Samples) is { } samples ? (int)samples : Defaults.Samples,
        Batch = result.GetValue(Batch) is { } batch ? (int)batch : Defaults.Batch,
        EvalCount = result.GetValue(EvalCount) is { } evalCount ? (int)evalCount : Defaults.EvalCount,
        Sampler = result.GetValue(Sampler) ?? Defaults.Sampler,
        Suite = result.GetValue(Suite) ?? Defaults.Suite,
        EditSuite = result.GetValue(EditSuite) ?? Defaults.EditSuite,
        ImagesDir = result.GetValue(Images),
        Scheduler = result.GetValue(Scheduler) ?? Defaults.Scheduler,
        Threads = result.GetValue(Threads) is { } threads ? (int)threads : Defaults.Threads,
        Resume = result.GetValue(Resume),
        From = result.GetValue(From),
        Pack = result.GetValue(Pack),
        Seed = result.GetValue(Seed) is { } seed ? (long)seed : Defaults.Seed,
    };

    private static Option<string?> Text(string name, string helpName, string description) =>
        new(name) { HelpName = helpName, Description = description, Recursive = true };

    private static Option<string?> Choice(string name, string description, params string[] allowed)
    {
        var option = new Option<string?>(name) { HelpName = string.Join('|', allowed), Description = description, Recursive = true };
        option.AcceptOnlyFromAmong(allowed);
        return option;
    }

    private static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Recursive = true };

    // Every number the trainer takes is non-negative; whole-number options keep the integer part, as before.
    private static Option<double?> Number(string name, string helpName, string description) => new(name)
    {
        HelpName = helpName,
        Description = description,
        Recursive = true,
        CustomParser = result => Guarded(result, text => (double?)NonNegative(name, text)),
    };

    /// <summary>Runs a parser on the option's one value; an <see cref="ArgumentException"/> becomes a parse error
    /// that names the option.</summary>
    private static T? Guarded<T>(ArgumentResult result, Func<string, T> parse)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        try
        {
            return parse(text);
        }
        catch (ArgumentException e)
        {
            result.AddError(e.Message);
            return default;
        }
    }

    /// <summary>Name=weight pairs over an enum's values (caption categories, edit kinds).</summary>
    private static Dictionary<TName, double> Weights<TName>(string name, string text)
        where TName : struct, Enum
    {
        var weights = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(pair =>
        {
            var parts = pair.Split('=', StringSplitOptions.TrimEntries);
            return parts.Length == 2 && Enum.TryParse<TName>(parts[0], ignoreCase: true, out var key) && Enum.IsDefined(key)
                ? (Key: key, Weight: NonNegative(name, parts[1]))
                : throw new ArgumentException($"Option {name} takes {typeof(TName).Name}=weight pairs ({string.Join(", ", Enum.GetNames<TName>())}), not '{pair}'.");
        }).ToDictionary(p => p.Key, p => p.Weight);
        // Unnamed ones weigh 1, so only naming every one at 0 leaves nothing to draw.
        var allZero = weights.Count == Enum.GetValues<TName>().Length && weights.Values.All(w => w == 0);
        return allZero ? throw new ArgumentException($"Option {name} leaves every {typeof(TName).Name} at weight 0.") : weights;
    }

    private static double NonNegative(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ArgumentException($"Option {name} needs a non-negative number, not '{text}'.");
}
