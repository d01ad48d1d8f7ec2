using WebStudio.Data;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Queue;

namespace WebStudio.Studio.Prompts;

/// <summary>
/// The Generate form's submission: a prompt with {…|…} choices or wildcards (<see cref="DynamicPrompts"/>) queues a job per
/// combination, all or none, or a job for each of <c>randomPrompts</c> combinations drawn at random; any other prompt
/// queues its one job as written.
/// </summary>
public sealed class DynamicPromptSubmission(JobQueue queue, SeedSource seeds, Wildcards wildcards)
{
    public async Task<SubmitOutcome> SubmitAsync(string userId, JobSpec.Txt2Img spec, JobSource source, int? randomPrompts = null,
        CancellationToken cancellationToken = default)
    {
        // A draw follows the jobs' seed, so that the form's list and the seed read back name the same prompts: one that
        // is random is drawn first. (Every combination is independent of the seed, which is drawn only where it varies.)
        var seeded = randomPrompts is null ? spec : seeds.Drawn(spec);
        var variants = randomPrompts is { } count
            ? DynamicPrompts.Draw(spec.Prompt, spec.NegativePrompt, count, seeded.Seed, wildcards)
            : DynamicPrompts.Of(spec.Prompt, spec.NegativePrompt, wildcards: wildcards);
        if (variants.Problem is { } problem)
        {
            return new SubmitOutcome(null, SubmitRefusal.Invalid, [problem]);
        }

        if (!variants.Varies)
        {
            // One combination: its text (a one-line wildcard's line, not its name), which is the prompt as written
            // where there is no choice at all.
            return await queue.SubmitAsync(userId, variants.Pairs[0].On(spec), null, source, cancellationToken);
        }

        // One seed (and variation seed) for every prompt, as InvokeAI's "per iteration": the pictures differ by
        // their prompts alone, so that they can be compared.
        spec = randomPrompts is null ? seeds.Drawn(spec) : seeded;
        var specs = variants.Pairs.Select(pair => pair.On(spec)).ToList();
        return await queue.SubmitAllAsync(userId, specs, source, cancellationToken);
    }
}
