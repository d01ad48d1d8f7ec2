using WebStudio.Data;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Queue;

namespace WebStudio.Studio.Plots;

/// <summary>
/// The Generate form's X/Y plot (<see cref="XyPlot"/>): a job per cell, all or none, on one seed unless an axis varies
/// it, in the queue's fair order as any several jobs of one user.
/// </summary>
public sealed class XyPlotSubmission(JobQueue queue, SeedSource seeds, IGenerationEngine engine, Prompts.Wildcards wildcards)
{
    public async Task<(SubmitOutcome Outcome, XyPlotAxes? Axes)> SubmitAsync(
        string userId, JobSpec.Txt2Img spec, XyPlotRequest request, JobSource source, CancellationToken cancellationToken = default)
    {
        // A Var. strength axis with no variation seed yet departs towards a random one, the same in every cell.
        if (spec.VariationSeed is null && new PlotAxisKind?[] { request.X, request.Y, request.Z }.Contains(PlotAxisKind.VariationStrength))
        {
            spec = spec with { VariationSeed = -1 };
        }

        // The seeds are drawn before the cells are made, so that every cell shares them unless an axis varies them.
        var plan = XyPlot.Plan(seeds.Drawn(spec), request, PlotChoices.Of(engine), wildcards);
        return plan.Problem is { } problem
            ? (new SubmitOutcome(null, SubmitRefusal.Invalid, [problem]), null)
            : (await queue.SubmitAllAsync(userId, plan.Cells.Select(c => c.Spec).ToList(), source, cancellationToken), plan.Axes);
    }
}
