using Microsoft.Extensions.Options;
using WebStudio.Studio.Maintenance;
using WebStudio.Studio.Options;
using WebStudio.Studio.Storage;

namespace WebStudio.Studio.Editing;

/// <summary>The hourly sweep of the <see cref="MaintenanceScheduler"/>: deletes Edit-page uploads older than
/// <see cref="StorageOptions.UploadRetention"/>, so the uploads folder does not grow without end, and image files that
/// no image row names (<see cref="OrphanImageSweep"/>).</summary>
public sealed class UploadCleanupSweep(
    UploadStore uploads,
    OrphanImageSweep orphans,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<UploadCleanupSweep> logger)
    : IMaintenanceTask
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    public TimeSpan Interval => Every;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Clean();
        await SweepOrphansAsync(cancellationToken);
    }

    private void Clean()
    {
        try
        {
            var deleted = uploads.DeleteOlderThan(time.GetUtcNow().UtcDateTime - options.Value.UploadRetention);
            if (deleted > 0)
            {
                logger.LogInformation("Deleted {Count} upload(s) older than {Retention}", deleted, options.Value.UploadRetention);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file in use or a full disk must not stop the studio: try again next time.
            logger.LogWarning(ex, "Cleaning the uploads folder failed; trying again in {Every}", Every);
        }
    }

    private async Task SweepOrphansAsync(CancellationToken stoppingToken)
    {
        try
        {
            await orphans.SweepAsync(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The database away, or a folder that cannot be read: nothing is lost by waiting for the next sweep.
            logger.LogWarning(ex, "Sweeping orphaned image files failed; trying again in {Every}", Every);
        }
    }
}
