using System.Text.Json;
using WebStudio.Data;

namespace WebStudio.Studio.Jobs;

/// <summary>
/// The stored form of a <see cref="JobSpec"/>: JSON in the jobs table's Spec column, with its schema version in
/// SpecVersion. A later version reads older rows here (or a migration rewrites them); an unknown one is an error
/// that names the job, never a silent default.
/// </summary>
public static class JobSpecJson
{
    public const int Version = 1;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(JobSpec spec) => JsonSerializer.Serialize(spec, Options);

    public static JobSpec Deserialize(string json) =>
        JsonSerializer.Deserialize<JobSpec>(json, Options) ?? throw new JsonException("A job spec cannot be null.");

    /// <summary>Writes <paramref name="spec"/> into the row with the current version, and the indexed columns the
    /// history and the queue read (kind, prompt, model, steps, seed…) from it.</summary>
    public static void Store(GenerationJob job, JobSpec spec)
    {
        job.Spec = Serialize(spec);
        job.SpecVersion = Version;
        job.Kind = spec.Kind;
        job.Seed = spec.Seed;
        switch (spec)
        {
            case JobSpec.Diffusion d:
                (job.Prompt, job.NegativePrompt, job.Model, job.Scheduler) = (d.Prompt, d.NegativePrompt, d.Model, d.Scheduler);
                (job.Steps, job.Guidance, job.BatchSize) = (d.Steps, d.Guidance, d.BatchSize);
                (job.HiresFactor, job.HiresSteps) = d is JobSpec.Txt2Img { Hires: { } hires } ? ((int?, int?))(hires.Factor, hires.DenoisingSteps(d.Steps)) : (null, null);
                break;
            case JobSpec.Upscale u:
                // No diffusion: the history shows what ran in the model column, and it counts as one step.
                (job.Prompt, job.NegativePrompt, job.Model, job.Scheduler) = ("", "", u.Label, "");
                (job.Steps, job.Guidance, job.BatchSize) = (1, 0f, 1);
                break;
        }
    }

    /// <summary>The spec of a stored job, or null where it cannot be read (<see cref="Read"/> says why): a page that
    /// lists many jobs shows such a one from its columns.</summary>
    public static JobSpec? TryRead(GenerationJob job)
    {
        try
        {
            return Read(job);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The spec of a stored job.</summary>
    /// <exception cref="InvalidDataException">The row was written by a newer studio, or its JSON is not a spec.</exception>
    public static JobSpec Read(GenerationJob job)
    {
        if (job.SpecVersion != Version)
        {
            throw new InvalidDataException($"Job {job.Id} was stored with spec version {job.SpecVersion}; this studio reads version {Version}.");
        }

        try
        {
            return Deserialize(job.Spec);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Job {job.Id}'s stored spec cannot be read: {ex.Message}", ex);
        }
    }
}
