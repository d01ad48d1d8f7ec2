using WebStudio.Generation.Models;
using WebStudio.Generation.Schedulers;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Pipelines;

/// <summary>
/// The refiner's share of a base-then-refiner job. Both halves make the schedule of the request's steps; the base runs
/// the timesteps at or above the cutoff (1 − switch) × num_train_timesteps (diffusers' denoising_end), the refiner the
/// ones below it (denoising_start; one more for a second-order scheduler when the count is even, as diffusers does), from
/// the base's latents as they are: no noise is added. A second-order scheduler's base stops where its refiner starts, at
/// a whole step: diffusers' base would also run the first half of the step its refiner then runs again from the start.
/// </summary>
internal sealed class RefinerStage
{
    private readonly IScheduler _scheduler;
    private int _first;

    public RefinerStage(RefinerPass pass, GenerationRequest request)
    {
        Pass = pass;
        Pipeline = new StableDiffusionPipeline(pass.Model);
        _scheduler = SchedulerFactory.Create(request.Scheduler, Model.SchedulerConfig);
        _scheduler.SetTimesteps(request.Steps);
        var timesteps = _scheduler.Timesteps;
        var cutoff = Cutoff(Model.SchedulerConfig, pass.SwitchAt);
        var count = timesteps.Count(t => t < cutoff);
        if (_scheduler.Order == 2 && count % 2 == 0 && count > 0 && count < timesteps.Count)
        {
            count++;
        }

        _first = timesteps.Count - count;
        _scheduler.SetBeginIndex(_first);
    }

    /// <summary>Starts the refiner no earlier than at <paramref name="timestep"/> (where img2img starts when its strength
    /// leaves less than the refiner's share), or runs nothing when null (strength 0).</summary>
    public void StartNoEarlierThan(float? timestep)
    {
        var timesteps = _scheduler.Timesteps;
        var at = timesteps.Count;
        for (var i = 0; timestep is { } t && i < timesteps.Count; i++)
        {
            if (timesteps[i] <= t)
            {
                at = i;
                break;
            }
        }

        _first = Math.Max(_first, at);
        _scheduler.SetBeginIndex(_first);
    }

    public RefinerPass Pass { get; }

    public StableDiffusionModel Model => Pass.Model;

    /// <summary>Decodes the job's result with the refiner's VAE, as diffusers' refiner does.</summary>
    public StableDiffusionPipeline Pipeline { get; }

    public int StepCount => _scheduler.Timesteps.Count - _first;

    /// <summary>Where the base stops in its own schedule: the count of its timesteps at or above the cutoff, less a
    /// second-order step's first half that the refiner runs (an odd count short of the whole schedule ends there).</summary>
    public int BaseEnd(IReadOnlyList<float> timesteps, SchedulerConfig config)
    {
        var cutoff = Cutoff(config, Pass.SwitchAt);
        var count = timesteps.Count(t => t >= cutoff);
        return _scheduler.Order == 2 && count % 2 == 1 && count < timesteps.Count ? count - 1 : count;
    }

    /// <summary>diffusers: int(round(num_train_timesteps − fraction × num_train_timesteps)).</summary>
    private static int Cutoff(SchedulerConfig config, float fraction) =>
        (int)Math.Round(config.NumTrainTimesteps - (double)fraction * config.NumTrainTimesteps);

    /// <summary>Denoises the base's latents over the refiner's timesteps; the callback's steps go on from the base's
    /// <paramref name="offset"/> entries.</summary>
    public Latents Run(Latents latents, GuidanceInput[] guidancePerStep, INoiseSource stepNoise, IStepCallback? callback, int offset, StepCount steps,
        RunClock clock, CancellationToken cancellationToken)
    {
        var timesteps = _scheduler.Timesteps;
        using var denoiser = new NoisePredictor(Model.UNet, null, null, clock);
        for (var i = _first; i < timesteps.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var t = timesteps[i];
            var modelInput = latents.WithData(_scheduler.ScaleModelInput(latents.Data, t));
            var noise = denoiser.Predict(modelInput, t, guidancePerStep[i - _first]);
            var output = _scheduler.Step(noise, t, latents.Data, stepNoise);
            latents = latents.WithData(output.PrevSample);
            if (callback is not null &&
                !callback.OnStep(new StepProgress(steps.IndexOf(offset + i - _first), steps.Total, t, latents, latents.WithData(output.PredOriginalSample))))
            {
                throw new OperationCanceledException("The step callback interrupted the run.");
            }
        }

        return latents;
    }
}
