namespace WebStudio.Data;

/// <summary>
/// The usage of one job that ran (succeeded, failed, or canceled after it started), written in the transaction that
/// records its end. Usage is read from these rows, not from the jobs: a job deleted from History (and swept) or an
/// account deleted with its images keeps its usage, and the daily quotas still count it. No foreign key: the owner's
/// name is copied at the job's end, so a record outlives its job and its account.
/// </summary>
public sealed class UsageRecord
{
    public Guid JobId { get; set; }

    public string OwnerId { get; set; } = "";

    /// <summary>The owner's user name when the job ended (the account may be gone later).</summary>
    public string UserName { get; set; } = "";

    public string Model { get; set; } = "";

    public JobKind Kind { get; set; }

    public JobSource Source { get; set; }

    public JobStatus Status { get; set; }

    public DateTime FinishedAt { get; set; }

    /// <summary>The denoising steps of one image.</summary>
    public int Steps { get; set; }

    /// <summary>Images made: the batch of a succeeded job, 0 otherwise.</summary>
    public int Images { get; set; }

    /// <summary>Steps × width × height × images, of a succeeded job; 0 otherwise.</summary>
    public long StepPixels { get; set; }

    /// <summary>The run's measured worker time (the job's TotalMs), 0 where none was measured.</summary>
    public double WorkerMs { get; set; }

    /// <summary>The record of <paramref name="job"/>, which ended with <paramref name="status"/> at
    /// <paramref name="finishedAt"/> after <paramref name="totalMs"/> of worker time.</summary>
    public static UsageRecord Of(GenerationJob job, string userName, JobStatus status, DateTime finishedAt, double? totalMs)
    {
        var succeeded = status == JobStatus.Succeeded;
        return new UsageRecord
        {
            JobId = job.Id,
            OwnerId = job.OwnerId,
            UserName = userName,
            Model = job.Model,
            Kind = job.Kind,
            Source = job.Source,
            Status = status,
            FinishedAt = finishedAt,
            Steps = job.Steps,
            Images = succeeded ? job.BatchSize : 0,
            // A hires fix's second pass denoises its steps at its enlarged size, for each image.
            StepPixels = succeeded
                ? ((long)job.Steps + (long)(job.HiresSteps ?? 0) * (job.HiresFactor ?? 0) * (job.HiresFactor ?? 0)) * job.Width * job.Height * job.BatchSize
                : 0,
            WorkerMs = totalMs ?? 0,
        };
    }

    /// <summary>The record of a finished job row (its own status, end and worker time).</summary>
    public static UsageRecord Of(GenerationJob job, string userName) =>
        Of(job, userName, job.Status, job.FinishedAt ?? throw new ArgumentException("The job has not finished.", nameof(job)), job.TotalMs);
}
