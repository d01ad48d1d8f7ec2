using WebStudio.Data;

namespace WebStudio.Studio.Previews;

/// <summary>
/// How the progress of a job running in this process reaches views in other processes (web nodes): through the
/// shared database (the queue's SharedProgressRelay, the default) or through Redis when it is configured.
/// Views in this process are served by <see cref="JobProgressNotifier"/> directly. Calls come from the worker's thread
/// and must never wait for the network.
/// </summary>
public interface IProgressRelay
{
    /// <summary>A status change, or a finished step with its preview. Reading the preview's bytes encodes it: a
    /// relay reads them only for the frames it sends, and preferably on its own thread.</summary>
    void Publish(Guid jobId, JobStatus status, int step, int totalSteps, PreviewImage? image);

    /// <summary>Whether a view in another process follows the job now, so that its steps' previews are worth drawing.
    /// Asked at every step from the worker's thread: answered from what the relay last learnt, never the network.</summary>
    bool WantsFrames(Guid jobId);

    /// <summary>The job's run in this process has ended (whatever the outcome): its relayed frame can go.</summary>
    void Retire(Guid jobId);
}
