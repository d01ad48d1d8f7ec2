using WebStudio.Generation.Pipelines;

namespace WebStudio.SdSynth.Tests;

/// <summary>Counts the steps a run reports and whether every latent and predicted original stayed finite.</summary>
internal sealed class FiniteLatents : IStepCallback
{
    public int Count { get; private set; }

    public bool AllFinite { get; private set; } = true;

    public bool OnStep(StepProgress progress)
    {
        Count++;
        AllFinite &= progress.Latents.Data.All(float.IsFinite) && progress.PredictedOriginal.Data.All(float.IsFinite);
        return true;
    }
}
