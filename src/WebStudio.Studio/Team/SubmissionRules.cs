using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;

namespace WebStudio.Studio.Team;

/// <summary>A role's permissions applied to one job: every refusal names what the role does not allow.</summary>
public static class SubmissionRules
{
    public static IReadOnlyList<FieldProblem> Check(TeamPolicy policy, JobSpec spec, int width, int height)
    {
        if (!policy.CanGenerate)
        {
            return [new FieldProblem("role", $"the {policy.Role} role may not generate images")];
        }

        var problems = new List<FieldProblem>();
        var limits = policy.Permissions;
        if (spec is JobSpec.Upscale && !policy.CanUpscale)
        {
            problems.Add(new FieldProblem("upscaler", $"the {policy.Role} role may not use upscalers"));
        }

        if (spec is JobSpec.Diffusion diffusion)
        {
            if (!policy.AllowsModel(diffusion.Model))
            {
                problems.Add(new FieldProblem("model", $"the {policy.Role} role may not use the model '{diffusion.Model}' (allowed: {string.Join(", ", policy.AllowedModels)})"));
            }

            if (limits.MaxSteps is { } steps && diffusion.Steps > steps)
            {
                problems.Add(new FieldProblem("steps", $"the {policy.Role} role may use at most {steps} steps"));
            }

            if (limits.MaxBatch is { } batch && diffusion.BatchSize > batch)
            {
                problems.Add(new FieldProblem("batch_size", $"the {policy.Role} role may make at most {batch} images at once"));
            }
        }

        if (limits.MaxSide is { } side && (width > side || height > side))
        {
            problems.Add(new FieldProblem("size", $"the {policy.Role} role may make images of at most {side}×{side} pixels"));
        }

        return problems;
    }
}
