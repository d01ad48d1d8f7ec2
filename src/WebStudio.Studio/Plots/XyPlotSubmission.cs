using WebStudio.Data;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Prompts;
using WebStudio.Studio.Queue;

namespace WebStudio.Studio.Plots;

/// <summary>
/// The Generate form's X/Y plot (<see cref="XyPlot"/>): a job per cell, all or none, on one seed unless an axis varies
/// it, in the queue's fair order as any several jobs of one user.
/// </summary>
public sealed class XyPlotSubmission(JobQueue queue, SeedSource seeds, IGenerationEngine engine)
{
    public async Task<(SubmitOutcome Outcome, XyPlotAxes? Axes)> SubmitAsync(
        string userId, JobSpec.Txt2Img spec, XyPlotRequest request, JobSource source, CancellationToken cancellationToken = default)
    {
        if (DynamicPrompts.Of(spec.Prompt, spec.NegativePrompt).Varies)
        {
            return (Refused(new FieldProblem("prompt", "an X/Y plot takes a prompt without {…|…} choices: put the words to compare on a Prompt S/R axis")), null);
        }

        var (axes, problem) = XyPlot.Read(request, engine.Schedulers);
        if (problem is not null)
        {
            return (Refused(problem), null);
        }

        var (cells, cellProblem) = XyPlot.CellsOf(seeds.Drawn(spec), axes!);
        if (cellProblem is not null)
        {
            return (Refused(cellProblem), null);
        }

        return (await queue.SubmitAllAsync(userId, cells.Select(c => c.Spec).ToList(), source, cancellationToken), axes);
    }

    private static SubmitOutcome Refused(FieldProblem problem) => new(null, SubmitRefusal.Invalid, [problem]);
}
