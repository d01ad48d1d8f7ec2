using Microsoft.Extensions.Options;
using WebStudio.Studio.Maintenance;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.History;

/// <summary>
/// Removes for good, every <see cref="StorageOptions.DeleteSweepInterval"/> (a task of the
/// <see cref="MaintenanceScheduler"/>), the generations deleted from History more than
/// <see cref="StorageOptions.DeleteUndoWindow"/> ago (rows, then files). Several nodes may sweep at once: each removal
/// is guarded by the row, so a generation goes once and an Undo that lands first keeps it.
/// </summary>
public sealed class DeletedJobsSweep(HistoryService history, IOptions<StorageOptions> options, TimeProvider time, ILogger<DeletedJobsSweep> logger)
    : IMaintenanceTask
{
    public TimeSpan Interval => options.Value.DeleteSweepInterval;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var cutoff = time.GetUtcNow().UtcDateTime - options.Value.DeleteUndoWindow;
            var purged = await history.PurgeDeletedAsync(cutoff, cancellationToken);
            if (purged > 0)
            {
                logger.LogInformation("Removed {Count} deleted generation(s) whose undo window had passed", purged);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A database outage or a locked file must not stop the studio: the rows stay deleted, and the next sweep retries.
            logger.LogWarning(e, "The sweep of deleted generations failed; trying again in {Every}", options.Value.DeleteSweepInterval);
        }
    }
}
