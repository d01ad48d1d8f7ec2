using WebStudio.Data;

namespace WebStudio.Studio.Execution;

/// <summary>
/// A run whose generation is over (<see cref="JobRunner.GenerateAsync"/>): <see cref="StoreAsync"/> writes its
/// images and outcome, fenced by the run's claim, and ends the run. A run that already ended (failed, canceled, put
/// back in the queue, or its claim lost) has nothing left to store. The worker loop claims and starts its next job
/// while this store runs, so that the device does not wait for the PNG encode, the files and the commit.
/// </summary>
public sealed class PendingStore
{
    private readonly Func<Task<bool>> _store;
    private int _started;

    internal PendingStore(GenerationJob job, Func<Task<bool>> store)
    {
        JobId = job.Id;
        ClaimToken = job.ClaimToken;
        _store = store;
    }

    public Guid JobId { get; }

    /// <summary>The claim the run held (a job claimed again later has another).</summary>
    public long ClaimToken { get; }

    /// <summary>Stores the result and ends the run; call once.</summary>
    /// <returns>true when the run ended the job (succeeded, failed or canceled), as <see cref="JobRunner.RunAsync"/>
    /// says; false when the job went back to the queue or its claim was lost.</returns>
    public Task<bool> StoreAsync() => Interlocked.Exchange(ref _started, 1) == 0
        ? _store()
        : throw new InvalidOperationException($"the result of job {JobId} is already being stored");

    internal static PendingStore Ended(GenerationJob job, bool ended) => new(job, () => Task.FromResult(ended));
}
