using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Pipelines;

/// <summary>
/// Called once per denoising step on the generation thread. Keep it cheap: the pipeline waits for it.
/// Previews are made here (see <see cref="Previews.StepPreviews"/>); the pipeline itself decodes nothing.
/// </summary>
public interface IStepCallback
{
    /// <returns><c>false</c> to interrupt the run (the pipeline then throws <see cref="OperationCanceledException"/>).</returns>
    bool OnStep(StepProgress progress);
}

/// <param name="StepIndex">Zero-based index of the step just finished.</param>
/// <param name="TotalSteps">Steps this run makes.</param>
/// <param name="Timestep">The scheduler timestep of the step.</param>
/// <param name="Latents">Current latents after the step (unscaled, as the scheduler keeps them). Do not keep a reference.</param>
/// <param name="PredictedOriginal">The scheduler's predicted clean latents (x0). Do not keep a reference.</param>
public sealed record StepProgress(int StepIndex, int TotalSteps, float Timestep, Latents Latents, Latents PredictedOriginal);
