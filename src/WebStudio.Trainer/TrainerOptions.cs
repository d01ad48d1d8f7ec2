using System.Globalization;
using WebStudio.Trainer.Models;

namespace WebStudio.Trainer;

/// <summary>Command-line options shared by every stage.</summary>
internal sealed record TrainerOptions
{
    public const string Usage = """
        Usage: WebStudio.Trainer <command> [options]
        Commands:
          all          tokenizer, train-vae, encode, train-unet, export, evaluate
          tokenizer    write tokenizer/ (vocab.json, merges.txt, configs) from the caption vocabulary
          train-vae    train the autoencoder, print held-out PSNR
          encode       encode training images to scaled latents with the trained VAE
          train-unet   train text encoder + UNet on the latents (EMA kept for export)
          import       read an exported folder (--from) back into checkpoints in --cache, to train on from it
          gpu-pack     write --pack: latents, token ids, categories and EMA checkpoints for gpu/train_unet.py
          export       write the SD ONNX folder from the latest checkpoints (EMA weights)
          evaluate     sample the exported folder on ShapesWorld's EvalSuite, print scores and speed
          bench        time the exported UNet at batch 2 in ONNX Runtime
          check        load TorchSharp and run one tiny forward pass
        Options:
          --out DIR            model folder (default models/webstudio-shapes)
          --cache DIR          checkpoints and latents (default ~/.cache/webstudio/trainer)
          --config full|tiny   architecture preset (default full)
          --vae-minutes M      VAE training time budget (default 12)
          --vae-steps N        VAE step limit (default unlimited within the time budget)
          --decoder-only       train-vae trains the decoder alone on the cache's VAE (encoder, latents and UNet stay valid)
          --unet-minutes M     UNet training time budget (default 60)
          --unet-steps N       UNet step limit (default unlimited within the time budget)
          --lr R               UNet peak learning rate, reached after a 300-step warm-up in every run (default 3e-4)
          --category-weights W UNet draws scenes of these categories more or less often than the data holds them,
                               e.g. "Counting=2,Position=2,Letters=0.5" (default: as stored)
          --placement-aux W    UNet training also fits a linear probe on each shape noun's text state to the place its
                               caption gives it (Position captions), with this loss weight (default 0: off)
          --layout-weight K    UNet loss at the noisiest timesteps (SNR < 0.2, where sampling decides the layout) weighs
                               up to K times more (0.2/SNR, capped at K; default 1: off)
          --cooldown-minutes M the learning rate falls linearly to 5% over the budget's last M minutes (default 0)
          --samples N          images encoded for UNet training (default 20000)
          --batch N            UNet batch size (default 32)
          --eval-count N       EvalSuite prompts to score (default 140; 0 = the full suite)
          --sampler app|onnx|vae  evaluate with the app's pipeline (default), the trainer's own DDIM loop, or score the
                               suite's ground truth through the folder's VAE (encode, decode): the ceiling the VAE sets
          --images DIR         evaluate also saves each generated image there as {prompt id}.png
          --scheduler NAME     app scheduler for evaluate (default "DDIM")
          --threads N          torch/ORT threads (default 2)
          --resume             continue from the checkpoints in --cache
          --from DIR           the folder `import` reads (default: --out)
          --pack DIR           the folder `gpu-pack` writes (default: <cache>/gpu-pack)
          --seed N             data/initialisation seed (default 1234)
        """;

    public string Out { get; init; } = "models/webstudio-shapes";

    public string Cache { get; init; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "webstudio", "trainer");

    public ArchitectureConfig Config { get; init; } = ArchitectureConfig.Full;

    public double VaeMinutes { get; init; } = 12;

    public long VaeSteps { get; init; } = long.MaxValue;

    public double UNetMinutes { get; init; } = 60;

    public long UNetSteps { get; init; } = long.MaxValue;

    public double CooldownMinutes { get; init; }

    public double LearningRate { get; init; } = Training.UNetTrainer.DefaultLearningRate;

    public string? From { get; init; }

    public string? Pack { get; init; }

    public IReadOnlyDictionary<WebStudio.ShapesWorld.Category, double>? CategoryWeights { get; init; }

    /// <summary>Weight of the placement probe loss (<see cref="Training.PlacementTargets"/>); 0 leaves it off.</summary>
    public double PlacementAux { get; init; }

    /// <summary>Up to this many times the loss weight at the noisiest timesteps; 1 leaves it off.</summary>
    public double LayoutWeight { get; init; } = 1;

    public int Samples { get; init; } = 20000;

    public int Batch { get; init; } = 32;

    public int EvalCount { get; init; } = 140;

    public string Sampler { get; init; } = "app";

    public string? ImagesDir { get; init; }

    public string Scheduler { get; init; } = "DDIM";

    public int Threads { get; init; } = 2;

    public bool Resume { get; init; }

    public bool DecoderOnly { get; init; }

    public long Seed { get; init; } = 1234;

    public static TrainerOptions Parse(string[] args)
    {
        var options = new TrainerOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option {name} needs a value.");
            options = name switch
            {
                "--out" => options with { Out = Value() },
                "--cache" => options with { Cache = Value() },
                "--config" => options with { Config = ArchitectureConfig.Named(Value()) },
                "--vae-minutes" => options with { VaeMinutes = Number(name, Value()) },
                "--vae-steps" => options with { VaeSteps = (long)Number(name, Value()) },
                "--unet-minutes" => options with { UNetMinutes = Number(name, Value()) },
                "--unet-steps" => options with { UNetSteps = (long)Number(name, Value()) },
                "--lr" => options with { LearningRate = Number(name, Value()) },
                "--from" => options with { From = Value() },
                "--pack" => options with { Pack = Value() },
                "--category-weights" => options with { CategoryWeights = Weights(name, Value()) },
                "--placement-aux" => options with { PlacementAux = Number(name, Value()) },
                "--layout-weight" => options with { LayoutWeight = Number(name, Value()) },
                "--cooldown-minutes" => options with { CooldownMinutes = Number(name, Value()) },
                "--samples" => options with { Samples = (int)Number(name, Value()) },
                "--batch" => options with { Batch = (int)Number(name, Value()) },
                "--eval-count" => options with { EvalCount = (int)Number(name, Value()) },
                "--sampler" => options with { Sampler = Value() is "app" or "onnx" or "vae" ? args[i] : throw new ArgumentException("--sampler must be 'app', 'onnx' or 'vae'.") },
                "--images" => options with { ImagesDir = Value() },
                "--scheduler" => options with { Scheduler = Value() },
                "--threads" => options with { Threads = (int)Number(name, Value()) },
                "--seed" => options with { Seed = (long)Number(name, Value()) },
                "--resume" => options with { Resume = true },
                "--decoder-only" => options with { DecoderOnly = true },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        return options;
    }

    private static Dictionary<WebStudio.ShapesWorld.Category, double> Weights(string name, string text)
    {
        var weights = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(pair =>
        {
            var parts = pair.Split('=', StringSplitOptions.TrimEntries);
            return parts.Length == 2 && Enum.TryParse<WebStudio.ShapesWorld.Category>(parts[0], ignoreCase: true, out var category)
                ? (Category: category, Weight: Number(name, parts[1]))
                : throw new ArgumentException($"Option {name} takes Category=weight pairs ({string.Join(", ", Enum.GetNames<WebStudio.ShapesWorld.Category>())}), not '{pair}'.");
        }).ToDictionary(p => p.Category, p => p.Weight);
        // Unnamed categories weigh 1, so only naming every one at 0 leaves nothing to draw.
        var allZero = weights.Count == Enum.GetValues<WebStudio.ShapesWorld.Category>().Length && weights.Values.All(w => w == 0);
        return allZero ? throw new ArgumentException($"Option {name} leaves every category at weight 0.") : weights;
    }

    private static double Number(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ArgumentException($"Option {name} needs a non-negative number, not '{text}'.");
}
