using WebStudio.Generation.Models;
using WebStudio.Generation.Schedulers;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Pipelines;

/// <summary>
/// Where denoising starts. txt2img: seeded noise times the scheduler's initial sigma. img2img (diffusers'
/// semantics): the source latents noised to the timestep that <c>strength × steps</c> steps before the end, so
/// that only those steps run. Inpainting: either the extra UNet channels of a 9-channel inpainting model, or the
/// latent-blending mask that puts the re-noised source back outside the mask after every step. Instruction edits
/// (InstructPix2Pix): seeded noise as for txt2img, and the source's unscaled mode latents, which the UNet takes beside
/// the noisy latents at every step (<see cref="EditImage"/>); a mask blends as it does for inpainting.
/// </summary>
internal sealed class StartingPoint
{
    // The VAE posterior sample uses its own stream so it never shifts the noise of a seed.
    private const long PosteriorSeedSalt = 0x2545F4914F6CDD1DL;

    private readonly IScheduler _scheduler;
    private readonly Latents? _source;
    private readonly float[]? _noise;

    /// <param name="firstStep">From <see cref="FirstStepOf"/>: the pipeline needs it before the text is encoded.</param>
    public StartingPoint(StableDiffusionModel model, GenerationRequest request, IScheduler scheduler, int firstStep, RunClock clock)
    {
        _scheduler = scheduler;
        FirstStep = firstStep;
        var factor = model.Config.VaeScaleFactor;
        var noise = SeededNoise(request, request.Height / factor, request.Width / factor);

        if (request.InitImage is null)
        {
            Latents = Scaled(noise, scheduler.InitNoiseSigma);
            return;
        }

        _noise = noise.Data;
        if (model.EditsByInstruction)
        {
            EditImage = ImageConditioning.EncodeMode(model, request.InitImage, request.BatchSize, clock);
            Latents = Scaled(noise, scheduler.InitNoiseSigma);
            if (request.Mask is { } editMask)
            {
                _source = Scaled(EditImage, model.Config.ScalingFactor);
                BlendMask = ImageConditioning.LatentMask(editMask, _source.Height, _source.Width);
                scheduler.SetBeginIndex(FirstStep);
            }
            else if (request.InstructionEdit?.AutoMaskThreshold is not null)
            {
                // The mask comes a few steps in (BlendOutside); the source it blends back is ready from the start.
                _source = Scaled(EditImage, model.Config.ScalingFactor);
                scheduler.SetBeginIndex(FirstStep);
            }

            return;
        }

        _source = ImageConditioning.EncodeScaled(model, request.InitImage, request.BatchSize, new GaussianNoise(request.Seed ^ PosteriorSeedSalt), clock);
        if (request.Mask is { } mask)
        {
            var latentMask = ImageConditioning.LatentMask(mask, _source.Height, _source.Width);
            if (model.UNet.InChannels == 9)
            {
                using var maskedImage = ImageConditioning.MaskedImage(request.InitImage, mask);
                var maskedLatents = ImageConditioning.EncodeScaled(model, maskedImage, request.BatchSize, new GaussianNoise(request.Seed ^ PosteriorSeedSalt), clock);
                InpaintChannels = InpaintInput(latentMask, maskedLatents);
            }
            else
            {
                BlendMask = latentMask;
            }
        }

        var timesteps = scheduler.Timesteps;
        scheduler.SetBeginIndex(FirstStep);

        if (request.Mask is not null && request.Strength >= 1f)
        {
            Latents = Scaled(noise, scheduler.InitNoiseSigma); // diffusers: full strength inpainting starts from pure noise
        }
        else if (FirstStep >= timesteps.Count)
        {
            Latents = _source; // strength 0: nothing to denoise, the source comes back through the VAE
        }
        else
        {
            Latents = _source.WithData(scheduler.AddNoise(_source.Data, _noise, timesteps[FirstStep]));
        }
    }

    /// <summary>Index of the first schedule entry that runs: 0 for txt2img and instruction edits, later for img2img by
    /// its strength.</summary>
    public static int FirstStepOf(StableDiffusionModel model, GenerationRequest request, IScheduler scheduler)
    {
        if (request.InitImage is null || model.EditsByInstruction)
        {
            return 0;
        }

        var steps = request.Steps;
        var initSteps = ImageToImageSteps.Run(steps, request.Strength);
        return Math.Min(Math.Max(steps - initSteps, 0) * scheduler.Order, scheduler.Timesteps.Count);
    }

    public Latents Latents { get; }

    /// <summary>Index of the first schedule entry that runs.</summary>
    public int FirstStep { get; }

    /// <summary>Latent-size mask (1 = repaint) for latent blending, or null.</summary>
    public float[]? BlendMask { get; private set; }

    /// <summary>An instruction edit's automatic mask, found a few steps into the run: from the next blend on, the input
    /// is put back outside it.</summary>
    public void BlendOutside(float[] mask)
    {
        if (_source is null)
        {
            throw new InvalidOperationException("Only an instruction edit that asked for an automatic mask blends one in.");
        }

        BlendMask = mask;
    }

    /// <summary>Mask and masked-image latents [B,5,h,w] for 9-channel inpainting UNets, or null.</summary>
    public Latents? InpaintChannels { get; }

    /// <summary>An instruction edit's input image as unscaled mode latents [B,4,h,w], or null.</summary>
    public Latents? EditImage { get; }

    /// <summary>Puts the source, noised to the next timestep (clean after the last), back outside the mask.</summary>
    public Latents KeepUnmasked(Latents latents, float? nextTimestep)
    {
        var mask = BlendMask!;
        var proper = nextTimestep is { } t ? _scheduler.AddNoise(_source!.Data, _noise!, t) : _source!.Data;
        var result = new float[latents.Data.Length];
        var plane = mask.Length;
        for (var i = 0; i < result.Length; i++)
        {
            var m = mask[i % plane];
            result[i] = (1f - m) * proper[i] + m * latents.Data[i];
        }

        return latents.WithData(result);
    }

    // Each image's noise from its own seed; with a variation seed, the shared seed's noise carried part of the way
    // to the image's variation seed's.
    private static Latents SeededNoise(GenerationRequest request, int height, int width)
    {
        var noise = Latents.Zeros(request.BatchSize, 4, height, width);
        var variation = request.Varies ? new float[noise.SampleLength] : null;
        for (var b = 0; b < request.BatchSize; b++)
        {
            var sample = noise.Data.AsSpan(b * noise.SampleLength, noise.SampleLength);
            new GaussianNoise(request.SeedOf(b)).Fill(sample);
            if (variation is not null)
            {
                new GaussianNoise(request.VariationSeedOf(b)!.Value).Fill(variation);
                NoiseBlend.Slerp(sample, variation, request.VariationStrength);
            }
        }

        return noise;
    }

    private static Latents Scaled(Latents latents, float factor)
    {
        var data = new float[latents.Data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = latents.Data[i] * factor;
        }

        return latents.WithData(data);
    }

    private static Latents InpaintInput(float[] mask, Latents maskedLatents)
    {
        var plane = mask.Length;
        var result = Latents.Zeros(maskedLatents.Batch, 5, maskedLatents.Height, maskedLatents.Width);
        for (var b = 0; b < maskedLatents.Batch; b++)
        {
            mask.CopyTo(result.Data, b * result.SampleLength);
            Array.Copy(maskedLatents.Data, b * maskedLatents.SampleLength, result.Data, b * result.SampleLength + plane, maskedLatents.SampleLength);
        }

        return result;
    }
}
