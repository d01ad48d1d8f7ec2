namespace WebStudio.Generation.Pipelines;

/// <summary>
/// Progress in the steps a user asked for. A second-order scheduler (Heun, DPM2) asks the model twice for every step
/// but the last, which goes straight to σ = 0, so its schedule holds 2n − 1 entries for n steps; each visit is
/// reported as its step, as diffusers' progress bar counts them, and the queue's "step k of n" and its ETA stay in the
/// job's own steps.
/// </summary>
/// <param name="Order">The scheduler's entries per step (<see cref="Schedulers.IScheduler.Order"/>).</param>
/// <param name="Entries">The schedule entries the run visits.</param>
internal readonly record struct StepCount(int Order, int Entries)
{
    public int Total => (Entries + Order - 1) / Order;

    /// <summary>The step (0-based) that the run's <paramref name="entry"/>th visit belongs to.</summary>
    public int IndexOf(int entry) => Math.Min(entry / Order, Total - 1);
}
