using System.Diagnostics;
using WebStudio.Trainer.Data;
using WebStudio.Trainer.Models;
using WebStudio.Trainer.Tokenizer;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Training;

/// <summary>
/// Trains text encoder + UNet jointly on precomputed latents: epsilon prediction, SD's scaled_linear schedule,
/// 10% empty prompts (for classifier-free guidance), min-SNR-5 loss weights. Keeps EMA twins for export and
/// checkpoints every few minutes (unet, text_encoder, their _ema twins, unet_state.json), resumable.
/// </summary>
internal sealed class UNetTrainer(ArchitectureConfig config, ShapesTokenizer tokenizer, string cache, long seed)
{
    public const string StateFile = "unet_state.json";
    public const double PromptDropout = 0.1;
    public const double DefaultLearningRate = 3e-4;
    public const int WarmupSteps = 300;
    public const double SnrGamma = 5;
    public const double LayoutSnr = 0.2;
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromMinutes(4);

    public sealed record State(long Step, double Loss, double Minutes);

    public sealed record Nets(TextEncoderNet Text, UNetNet UNet, TextEncoderNet TextEma, UNetNet UNetEma);

    public Nets CreateNets() => new(
        new TextEncoderNet(config.Text(tokenizer.VocabularySize, tokenizer.EndId)), new UNetNet(config.UNet),
        new TextEncoderNet(config.Text(tokenizer.VocabularySize, tokenizer.EndId)), new UNetNet(config.UNet));

    /// <param name="cooldown">The last part of <paramref name="budget"/> over which the learning rate falls linearly to
    /// 5%: a run that ends on a low rate gives cleaner weights than one stopped at full rate.</param>
    /// <param name="learningRate">The peak rate; every run (a resumed one too: its optimiser is new) warms up to it.</param>
    /// <param name="categoryWeights">Draw scenes of these categories this much more (or less) often than the stored
    /// mix has them, to spend a run on the weak categories; missing ones weigh 1.</param>
    /// <param name="placementAux">Weight of the <see cref="PlacementTargets"/> probe loss on the text encoder's noun
    /// states; 0 trains without it.</param>
    /// <param name="spellingAux">Weight of the <see cref="SpellingTargets"/> probe loss on the text encoder's states of
    /// a written word's tokens; 0 trains without it.</param>
    /// <param name="layoutWeight">Up to this many times the loss weight for the noisiest timesteps (SNR below 0.2, from
    /// t ≈ 600 of 1000), where sampling decides the layout; 1 leaves min-SNR weighting as it is.</param>
    public Nets Train(LatentDataset data, int batchSize, TimeSpan budget, long maxSteps, bool resume, TimeSpan cooldown = default,
        double learningRate = DefaultLearningRate, IReadOnlyDictionary<WebStudio.ShapesWorld.Category, double>? categoryWeights = null,
        double placementAux = 0, double layoutWeight = 1, double spellingAux = 0)
    {
        TorchCpu.UseAtenConvolutions();
        manual_seed(seed);
        var nets = CreateNets();
        var step = 0L;
        var minutesBefore = 0.0;
        if (resume && Checkpoint.ReadState<State>(cache, StateFile) is { } state)
        {
            LoadInto(nets, cache);
            step = state.Step;
            minutesBefore = state.Minutes;
            Console.WriteLine($"UNet: resumed at step {step}");
        }
        else
        {
            Ema.CopyInto(nets.Text, nets.TextEma);
            Ema.CopyInto(nets.UNet, nets.UNetEma);
        }

        var ids = tensor(data.Captions.SelectMany(tokenizer.Encode).Select(i => (long)i).ToArray(), [data.Captions.Length, ShapesTokenizer.MaxLength]);
        var emptyIds = tensor(tokenizer.Encode(string.Empty).Select(i => (long)i).ToArray(), [1, ShapesTokenizer.MaxLength]);
        var alphas = NoiseSchedule.AlphasCumprodTensor();
        var placement = placementAux > 0 ? PlacementTargets.Build(data.Captions, tokenizer) : null;
        var probe = placement is null ? null : nn.Linear(nets.Text.Config.Width, PlacementTargets.Dimensions);
        if (placement is not null)
        {
            Console.WriteLine($"UNet: placement probe on {placement.Labelled} captions, weight {placementAux:G3}");
        }
        var spelling = spellingAux > 0 ? SpellingTargets.Build(data.Captions, tokenizer) : null;
        var speller = spelling is null ? null : nn.Linear(nets.Text.Config.Width, SpellingTargets.Slots * SpellingTargets.Classes);
        if (spelling is not null)
        {
            Console.WriteLine($"UNet: spelling probe on {spelling.Labelled} captions, weight {spellingAux:G3}");
        }
        var parameters = nets.Text.parameters().Concat(nets.UNet.parameters()).ToList();
        var optimised = parameters.Concat(probe?.parameters() ?? []).Concat(speller?.parameters() ?? []).ToList();
        var optimizer = optim.AdamW(optimised, learningRate, weight_decay: 0.01);
        var generator = new Generator((ulong)(seed + step));
        var clock = Stopwatch.StartNew();
        var lastSave = clock.Elapsed;
        var running = 0.0;
        var probeRunning = 1.0;
        var spellRunning = Math.Log(SpellingTargets.Classes);
        var startStep = step;
        var count = data.Captions.Length;
        var draw = SampleDraw.Create("UNet: category", count, () => data.Categories(seed), categoryWeights);

        while (clock.Elapsed < budget && step - startStep < maxSteps)
        {
            using var scope = NewDisposeScope();
            var lr = Rate(learningRate, step - startStep, budget - clock.Elapsed, cooldown);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = lr;
            }

            var index = draw.Next(batchSize, generator);
            var x0 = data.Latents.index_select(0, index);
            var tokens = ids.index_select(0, index);
            var drop = rand([batchSize], generator: generator).lt(PromptDropout).unsqueeze(1);
            tokens = where(drop, emptyIds.expand(batchSize, -1), tokens);
            var t = randint(0, NoiseSchedule.TrainSteps, [batchSize], dtype: ScalarType.Int64, generator: generator);
            var noise = randn(x0.shape, generator: generator);
            var abar = alphas.index_select(0, t).view(-1, 1, 1, 1);
            var noisy = (abar.sqrt() * x0) + ((1 - abar).sqrt() * noise);
            var context = nets.Text.forward(tokens);
            var predicted = nets.UNet.forward(noisy, t, context);
            var loss = (LossWeight(abar / (1 - abar), layoutWeight) * (predicted - noise).square()).mean();
            // The probes learn from the captions that were kept (a dropped one is the empty prompt).
            var kept = drop.logical_not().to(ScalarType.Float32);
            if (probe is not null && placement is not null)
            {
                var mask = placement.Mask.index_select(0, index) * kept;
                var error = (probe.forward(context) - placement.Targets.index_select(0, index)).square().sum(-1);
                var probeLoss = (error * mask).sum() / mask.sum().clamp_min(1);
                probeRunning = (0.99 * probeRunning) + (0.01 * probeLoss.item<float>());
                loss += placementAux * probeLoss;
            }
            if (speller is not null && spelling is not null)
            {
                var mask = spelling.Mask.index_select(0, index) * kept;
                var spellLoss = SpellingTargets.Loss(speller.forward(context), spelling.Targets.index_select(0, index), mask);
                spellRunning = (0.99 * spellRunning) + (0.01 * spellLoss.item<float>());
                loss += spellingAux * spellLoss;
            }
            optimizer.zero_grad();
            loss.backward();
            var gradNorm = nn.utils.clip_grad_norm_(optimised, 1.0);
            if (!double.IsFinite(gradNorm))
            {
                throw new NonFiniteTrainingException(
                    $"UNet training produced non-finite gradients (norm {gradNorm}, loss {loss.item<float>()}) at step {step + 1}; nothing was saved. " +
                    "The last checkpoint, if any, is still good.");
            }

            optimizer.step();
            step++;
            UpdateEma(nets, step);
            var value = loss.item<float>();
            if (!float.IsFinite(value))
            {
                throw new NonFiniteTrainingException(
                    $"UNet training produced a non-finite loss ({value}) at step {step}: the weights are now broken, so nothing was saved. " +
                    "The last checkpoint, if any, is still good.");
            }

            running = step - startStep == 1 ? value : (0.99 * running) + (0.01 * value);
            if (step % 50 == 0)
            {
                Console.WriteLine($"UNet step {step} loss {running:F4} lr {lr:E2} {clock.Elapsed:hh\\:mm\\:ss} ({(step - startStep) / clock.Elapsed.TotalSeconds:F2} steps/s){(probe is null ? "" : $" probe {probeRunning:F4}")}{(speller is null ? "" : $" spelling {spellRunning:F4}")}");
            }

            if (clock.Elapsed - lastSave > CheckpointEvery)
            {
                Save(nets, step, running, minutesBefore + clock.Elapsed.TotalMinutes);
                lastSave = clock.Elapsed;
            }
        }

        Save(nets, step, running, minutesBefore + clock.Elapsed.TotalMinutes);
        Console.WriteLine($"UNet: {step} steps, loss {running:F4}");
        return nets;
    }

    /// <summary>
    /// Per-sample weights of the epsilon loss: min-SNR-γ, min(SNR, γ) / SNR, times up to <paramref name="layoutWeight"/>
    /// where SNR is below <see cref="LayoutSnr"/> (LayoutSnr / SNR, capped).
    /// </summary>
    /// <remarks>Epsilon loss weighs a wrong x0 by SNR, so it barely notices a wrong layout at the noisy steps where
    /// sampling decides one.</remarks>
    public static Tensor LossWeight(Tensor snr, double layoutWeight)
    {
        var weight = snr.clamp_max(SnrGamma) / snr;
        return layoutWeight > 1 ? weight * (LayoutSnr / snr).clamp(1.0, layoutWeight) : weight;
    }

    /// <summary>The rate at <paramref name="stepsDone"/> steps into a run: a linear warm-up over <see cref="WarmupSteps"/>,
    /// (<paramref name="warmupSteps"/>), then the peak, falling linearly to 5% over the <paramref name="cooldown"/> before the budget ends.</summary>
    public static double Rate(double learningRate, long stepsDone, TimeSpan left, TimeSpan cooldown, int warmupSteps = WarmupSteps)
    {
        var cooling = cooldown > TimeSpan.Zero && left < cooldown ? Math.Max(0.05, left / cooldown) : 1.0;
        return learningRate * Math.Min(1.0, (stepsDone + 1.0) / warmupSteps) * cooling;
    }

    /// <summary>EMA warms up (short runs would otherwise export mostly the initial weights).</summary>
    public static void UpdateEma(Nets nets, long step)
    {
        var decay = Math.Min(0.999, (1.0 + step) / (10.0 + step));
        Ema.Update(nets.Text, nets.TextEma, decay);
        Ema.Update(nets.UNet, nets.UNetEma, decay);
    }

    public void Save(Nets nets, long step, double loss, double minutes) => Save(cache, nets, name => name, new State(step, loss, minutes), StateFile);

    public static void LoadInto(Nets nets, string cache) => LoadInto(nets, cache, name => name);

    /// <summary>The four checkpoints of <paramref name="nets"/>, each named by <paramref name="file"/> of its part.</summary>
    public static void Save(string cache, Nets nets, Func<string, string> file, State state, string stateFile) =>
        Checkpoint.Save(cache, Parts(nets).ToDictionary(p => file(p.Name), p => p.Module), state, stateFile);

    public static void LoadInto(Nets nets, string cache, Func<string, string> file)
    {
        foreach (var (name, module) in Parts(nets))
        {
            Checkpoint.Load(cache, file(name), module);
        }
    }

    private static (string Name, nn.Module Module)[] Parts(Nets nets) =>
    [
        (ModelParts.TextEncoder, nets.Text),
        (ModelParts.UNet, nets.UNet),
        (ModelParts.Ema(ModelParts.TextEncoder), nets.TextEma),
        (ModelParts.Ema(ModelParts.UNet), nets.UNetEma),
    ];
}
