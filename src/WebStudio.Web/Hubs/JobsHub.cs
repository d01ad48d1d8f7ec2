using System.Threading.Channels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using WebStudio.Studio.Options;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Hubs;

/// <summary>
/// Live previews. Only the job's owner and the administrator may watch; anyone else is told the job does not
/// exist. Each call gets its own one-frame stream, so a slow client skips frames instead of slowing the job.
/// </summary>
[Authorize]
public sealed class JobsHub(JobAccess access, JobProgressNotifier notifier, IOptions<GenerationOptions> generation, TimeProvider time) : Hub
{
    public const string Path = "/hubs/jobs";

    /// <param name="jobId">The job's id; taken as text so that a malformed one is refused by name (SignalR hides its
    /// own binding errors from the client).</param>
    public async Task<ChannelReader<PreviewFrame>> WatchJob(string? jobId, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(jobId, out var id))
        {
            throw new HubException($"jobId must be a job's id (a GUID); '{(jobId is { Length: > 64 } ? jobId[..64] + "…" : jobId)}' is not one");
        }

        var job = await access.FindJobAsync(id, Context.User!, cancellationToken: cancellationToken)
            ?? throw new HubException("job not found");
        return notifier.Watch(job.Id, job.Status, job.ProgressSteps, cancellationToken, TimeSpan.FromMilliseconds(generation.Value.PreviewIntervalMs), time);
    }
}
