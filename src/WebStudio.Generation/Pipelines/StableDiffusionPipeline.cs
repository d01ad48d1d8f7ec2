using System.Diagnostics;
using WebStudio.Generation.Models;
using WebStudio.Generation.Schedulers;
using WebStudio.Generation.Tensors;
using WebStudio.Generation.Text;

namespace WebStudio.Generation.Pipelines;

/// <summary>
/// Text-to-image for any Stable-Diffusion-format ONNX folder. One way to run: <see cref="RunAsync"/>.
/// Progress, previews and interruption go through the step callback; the pipeline decodes nothing but the result.
/// </summary>
public sealed class StableDiffusionPipeline(StableDiffusionModel model)
{
    // Ancestral and LCM noise come from generators (one per image) seeded apart from the initial noise, so that adding a stochastic
    // scheduler never changes the starting latents of a seed.
    private const long StepNoiseSeedSalt = 0x5DEECE66DL;

    public StableDiffusionModel Model { get; } = model;

    public Task<GenerationResult> RunAsync(GenerationRequest request, IStepCallback? callback = null, CancellationToken cancellationToken = default)
    {
        GenerationRequestValidator.ThrowIfInvalid(request, Model.EditsByInstruction);
        if (request.Refiner is { } refiner && refiner.Model.Config.Family != Model.Config.Family)
        {
            throw new GenerationValidationException([new("refiner",
                $"the refiner '{refiner.Model.Name}' works in {refiner.Model.Config.Family}'s latent space, the model '{Model.Name}' in {Model.Config.Family}'s")]);
        }

        // A pool thread rather than a LongRunning one: starting a fresh thread per run cost up to a few
        // milliseconds, and there is one run per execution device at a time, so the pool is not starved.
        return Task.Run(() => Run(request, callback, cancellationToken), cancellationToken);
    }

    private GenerationResult Run(GenerationRequest request, IStepCallback? callback, CancellationToken cancellationToken)
    {
        if (request is { InpaintOnlyMasked: true, Mask: { } mask } &&
            MaskedAreaInpainting.Region(mask, request.OnlyMaskedPadding ?? GenerationRequest.DefaultOnlyMaskedPadding(request.Width, request.Height),
                request.Width, request.Height) is { } region)
        {
            // The callback sees the cut-out region's steps, as A1111's live preview does.
            var crop = MaskedAreaInpainting.CropRequest(request, region);
            try
            {
                // Blended into the original once, at full size, by Compose (as A1111 does): not in the cut-out too.
                using var inner = RunWholeImage(crop, callback, cancellationToken, pasteBack: false);
                return new GenerationResult(
                    inner.Images.Select(i => new GeneratedImage(MaskedAreaInpainting.Compose(i.Image, request, region), i.Seed)).ToList(),
                    inner.Timings);
            }
            finally
            {
                crop.InitImage!.Dispose();
                crop.Mask!.Dispose();
            }
        }

        return RunWholeImage(request, callback, cancellationToken, pasteBack: true);
    }

    private GenerationResult RunWholeImage(GenerationRequest request, IStepCallback? callback, CancellationToken cancellationToken, bool pasteBack)
    {
        var started = Stopwatch.GetTimestamp();
        var clock = new RunClock();
        var unet = Model.UNet;
        var guidanceEmbedded = unet.TimestepCondDim > 0;
        // An instruction model runs every request as an instruction edit, guided by the edit's two scales.
        var edit = Model.EditsByInstruction ? request.InstructionEdit ?? new InstructionEdit() : null;
        var useCfg = edit is null ? request.Guidance > 1f && !guidanceEmbedded : InstructPix2PixGuidance.Applies(edit);

        var scheduler = SchedulerFactory.Create(request.Scheduler, Model.SchedulerConfig);
        scheduler.SetTimesteps(request.Steps);
        var timesteps = scheduler.Timesteps;
        var firstStep = StartingPoint.FirstStepOf(Model, request, scheduler);

        // Base then refiner (diffusers' denoising_end and denoising_start): the base stops where the refiner takes over.
        var refiner = request.Refiner is { } pass ? new RefinerStage(pass, request) : null;
        var endStep = refiner?.BaseEnd(timesteps, Model.SchedulerConfig) ?? timesteps.Count;
        if (refiner is not null && firstStep >= endStep)
        {
            // img2img whose strength leaves less than the refiner's share: the refiner alone runs, from where img2img starts.
            refiner.StartNoEarlierThan(firstStep < timesteps.Count ? timesteps[firstStep] : null);
        }
        var stepCount = Math.Max(endStep - firstStep, 0) + (refiner?.StepCount ?? 0);
        var steps = new StepCount(scheduler.Order, stepCount);

        // Prompt editing ("[from:to:when]", "[a|b]") gives each step its text; every distinct text is encoded once.
        var guidancePerStep = Guidance(Model, request, edit, useCfg, stepCount, 0, clock);
        var textDone = Stopwatch.GetTimestamp();
        cancellationToken.ThrowIfCancellationRequested();

        var start = new StartingPoint(Model, request, scheduler, firstStep, clock);
        var latents = start.Latents;
        var changes = edit?.AutoMaskThreshold is { } threshold && useCfg && request.Mask is null
            ? new InstructionChangeMask(latents.Height, latents.Width, InstructionChangeMask.StepsToWatch(endStep - start.FirstStep), threshold)
            : null;
        using var denoiser = new NoisePredictor(unet, start.InpaintChannels, start.EditImage, clock, changes);
        var stepNoise = new PerImageNoise([.. Enumerable.Range(0, request.BatchSize).Select(b => request.SeedOf(b) ^ StepNoiseSeedSalt)]);

        for (var i = start.FirstStep; i < endStep; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var t = timesteps[i];
            var modelInput = latents.WithData(scheduler.ScaleModelInput(latents.Data, t));
            var noise = denoiser.Predict(modelInput, t, guidancePerStep[i - start.FirstStep]);
            var output = scheduler.Step(noise, t, latents.Data, stepNoise);
            latents = latents.WithData(output.PrevSample);
            if (changes is { Complete: true })
            {
                if (changes.Mask() is { } found)
                {
                    start.BlendOutside(found);
                }

                changes = null;
            }

            if (start.BlendMask is not null)
            {
                latents = start.KeepUnmasked(latents, i + 1 < timesteps.Count ? timesteps[i + 1] : null);
            }

            if (callback is not null &&
                !callback.OnStep(new StepProgress(steps.IndexOf(i - start.FirstStep), steps.Total, t, latents, latents.WithData(output.PredOriginalSample))))
            {
                throw new OperationCanceledException("The step callback interrupted the run.");
            }
        }

        if (refiner is not null)
        {
            var baseSteps = Math.Max(endStep - start.FirstStep, 0);
            var refinerRequest = request with { Guidance = refiner.Pass.Guidance ?? request.Guidance };
            var refinerCfg = refinerRequest.Guidance > 1f && refiner.Model.UNet.TimestepCondDim == 0;
            var refinerGuidance = Guidance(refiner.Model, refinerRequest, null, refinerCfg, stepCount, baseSteps, clock);
            latents = refiner.Run(latents, refinerGuidance, stepNoise, callback, baseSteps, steps, clock, cancellationToken);
        }

        var denoised = Stopwatch.GetTimestamp();
        cancellationToken.ThrowIfCancellationRequested();
        var images = new List<GeneratedImage>(request.BatchSize);
        // Without a painted mask, a blend mask is an instruction edit's automatic one: the input is pasted back outside
        // it as outside a painted mask.
        using var autoPixels = request.Mask is null && start.BlendMask is { } cells
            ? ImageConditioning.PixelMask(cells, latents.Height, latents.Width, request.Width, request.Height)
            : null;
        for (var b = 0; b < request.BatchSize; b++)
        {
            var image = (refiner?.Pipeline ?? this).DecodeLatents(latents.Slice(b), static (pixels, _, _, height, width) => ImageTensors.ToImage(pixels, height, width), clock);
            if (pasteBack && (request.Mask ?? autoPixels) is { } mask && request.InitImage is { } original)
            {
                ImageConditioning.PasteBack(image, original, mask, request.MaskFeather);
            }

            images.Add(new GeneratedImage(image, request.SeedOf(b)));
        }

        var finished = Stopwatch.GetTimestamp();
        return new GenerationResult(images, new GenerationTimings(
            Stopwatch.GetElapsedTime(started, finished),
            Stopwatch.GetElapsedTime(started, textDone),
            Stopwatch.GetElapsedTime(textDone, denoised),
            Stopwatch.GetElapsedTime(denoised, finished),
            clock.Elapsed,
            stepCount));
    }

    /// <summary>Encodes every text the (negative) prompt schedule names with <paramref name="model"/>'s encoders, and gives
    /// the guidance of the <paramref name="stepCount"/> − <paramref name="offset"/> steps from step <paramref name="offset"/>
    /// of a job of <paramref name="stepCount"/> steps (a refiner's share of a job starts past the base's).</summary>
    private static GuidanceInput[] Guidance(
        StableDiffusionModel model, GenerationRequest request, InstructionEdit? edit, bool useCfg, int stepCount, int offset, RunClock clock)
    {
        var unet = model.UNet;
        var guidanceEmbedded = unet.TimestepCondDim > 0;
        var schedule = PromptSchedule.Build(request.Prompt, Math.Max(stepCount, 1));
        var negativeSchedule = useCfg ? PromptSchedule.Build(request.NegativePrompt, Math.Max(stepCount, 1)) : null;
        var texts = schedule.Concat(negativeSchedule ?? []).Select(p => p.Text).Distinct(StringComparer.Ordinal).ToArray();
        var embeddings = texts.Zip(TextConditioning.Encode(model, texts, clock)).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        var negativeEmbeddings = embeddings;
        if (model.Config.IsXl)
        {
            (embeddings, negativeEmbeddings) = XlEmbeddings(model, embeddings, schedule, negativeSchedule, request);
        }

        return GuidancePerStep(
            stepCount - offset, offset, schedule, negativeSchedule, embeddings, negativeEmbeddings, edit?.TextGuidance ?? request.Guidance,
            guidanceEmbedded ? GuidanceEmbedding.Create(request.Guidance, unet.TimestepCondDim) : null, edit?.ImageGuidance ?? 0f,
            edit is null ? request.GuidanceRescale : 0f);
    }

    /// <summary>Each step's text states, worked out before the loop; consecutive steps with the same texts share one
    /// instance, so the denoiser rebuilds its batched rows only where an edited prompt changes.</summary>
    private static GuidanceInput[] GuidancePerStep(
        int stepCount, int offset, IReadOnlyList<ScheduledPrompt> schedule, IReadOnlyList<ScheduledPrompt>? negativeSchedule,
        Dictionary<string, PromptEmbedding> embeddings, Dictionary<string, PromptEmbedding> negativeEmbeddings, float scale, float[]? timestepCond, float imageScale,
        float rescale)
    {
        var perStep = new GuidanceInput[Math.Max(stepCount, 0)];
        for (var step = 0; step < perStep.Length; step++)
        {
            var conditional = embeddings[PromptSchedule.TextAt(schedule, offset + step)];
            var unconditional = negativeSchedule is null ? null : negativeEmbeddings[PromptSchedule.TextAt(negativeSchedule, offset + step)];
            perStep[step] = step > 0 && perStep[step - 1].Conditional == conditional && perStep[step - 1].Unconditional == unconditional
                ? perStep[step - 1]
                : new GuidanceInput(conditional, unconditional, scale, timestepCond, imageScale, rescale);
        }

        return perStep;
    }

    /// <summary>SDXL: the prompts' states with the conditional time ids, the negative prompts' with the unconditional
    /// ones (or zeros, <see cref="XlConditioning"/>), in two dictionaries since a text may be both.</summary>
    private static (Dictionary<string, PromptEmbedding>, Dictionary<string, PromptEmbedding>) XlEmbeddings(
        StableDiffusionModel model, Dictionary<string, PromptEmbedding> encoded, IReadOnlyList<ScheduledPrompt> schedule, IReadOnlyList<ScheduledPrompt>? negativeSchedule,
        GenerationRequest request)
    {
        var config = model.Config;
        var positive = schedule.Select(p => p.Text).Distinct(StringComparer.Ordinal)
            .ToDictionary(t => t, t => XlConditioning.Conditional(encoded[t], config, request.Width, request.Height), StringComparer.Ordinal);
        var negative = (negativeSchedule ?? []).Select(p => p.Text).Distinct(StringComparer.Ordinal)
            .ToDictionary(t => t, t => XlConditioning.Unconditional(t, encoded[t], config, request.Width, request.Height), StringComparer.Ordinal);
        return (positive, negative);
    }

    /// <summary>Scaled latents → pixels in [-1,1] through the VAE decoder.</summary>
    public Latents DecodeLatents(Latents latents, RunClock? clock = null) => Model.VaeDecoder.Decode(Unscaled(latents), clock);

    /// <summary>Scaled latents through the VAE decoder, the pixels handed to <paramref name="read"/> in place (no copy).</summary>
    public T DecodeLatents<T>(Latents latents, DecodedPixelsReader<T> read, RunClock? clock = null) =>
        Model.VaeDecoder.Decode(Unscaled(latents), clock, read);

    /// <summary>Latents divided by the VAE scaling factor, as the decoder takes them.</summary>
    private Latents Unscaled(Latents latents)
    {
        var unscaled = new float[latents.Data.Length];
        var inverse = 1f / Model.Config.ScalingFactor;
        for (var i = 0; i < unscaled.Length; i++)
        {
            unscaled[i] = latents.Data[i] * inverse;
        }

        return latents.WithData(unscaled);
    }
}
