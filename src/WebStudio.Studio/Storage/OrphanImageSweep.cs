using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Storage;

/// <summary>
/// Removes image files that no image row names: those a crash left between a store's file write and its commit (the
/// job then runs again and stores a new set), and half-written temporary files. Only the store's own names are
/// considered ("yyyy-MM-dd/{image id}.png", and ".png.tmp"), and only files older than
/// <see cref="StorageOptions.OrphanImageGrace"/>, so that a store still on its way to its commit keeps its files (one
/// waiting out a database outage touches them before each try). Part of the maintenance sweep
/// (<see cref="Editing.UploadCleanupSweep"/>); on a shared image store any node may run it.
/// </summary>
public sealed class OrphanImageSweep(
    ImageStore images,
    IDbContextFactory<StudioDbContext> dbFactory,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<OrphanImageSweep> logger)
{
    private const int Batch = 500;

    /// <returns>How many files were removed.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.OrphanImageGrace;
        var removed = 0;
        var batch = new List<(string Path, Guid Id)>(Batch);
        foreach (var candidate in Candidates(cutoff))
        {
            batch.Add(candidate);
            if (batch.Count == Batch)
            {
                removed += await RemoveOrphansAsync(batch, cutoff, cancellationToken);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            removed += await RemoveOrphansAsync(batch, cutoff, cancellationToken);
        }

        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} image file(s) that no image row names (older than {Grace})", removed, options.Value.OrphanImageGrace);
        }

        return removed;
    }

    // The store's names only: a date folder, then the image id; anything else in the folder is not the store's to judge.
    private IEnumerable<(string Path, Guid Id)> Candidates(DateTime cutoff)
    {
        foreach (var folder in Directory.EnumerateDirectories(images.Root))
        {
            if (!DateTime.TryParseExact(Path.GetFileName(folder), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            {
                continue;
            }

            foreach (var path in Directory.EnumerateFiles(folder))
            {
                var name = Path.GetFileName(path);
                var stem = name.EndsWith(".png", StringComparison.Ordinal) ? name[..^4]
                    : name.EndsWith(".png.tmp", StringComparison.Ordinal) ? name[..^8]
                    : null;
                if (stem is not null && Guid.TryParseExact(stem, "N", out var id) && File.GetLastWriteTimeUtc(path) < cutoff)
                {
                    yield return (path, id);
                }
            }
        }
    }

    private async Task<int> RemoveOrphansAsync(List<(string Path, Guid Id)> batch, DateTime cutoff, CancellationToken cancellationToken)
    {
        var ids = batch.Select(c => c.Id).Distinct().ToList();
        HashSet<Guid> named;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            named = [.. await db.Images.AsNoTracking().Where(i => ids.Contains(i.Id)).Select(i => i.Id).ToListAsync(cancellationToken)];
        }

        var removed = 0;
        foreach (var (path, id) in batch)
        {
            // Looked at again: a store that touched its files since they were listed is on its way to its commit.
            if (named.Contains(id) || !File.Exists(path) || File.GetLastWriteTimeUtc(path) >= cutoff)
            {
                continue;
            }

            try
            {
                File.Delete(path);
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(ex, "Could not remove the orphaned image file {Path}; trying again at the next sweep", path);
            }
        }

        return removed;
    }
}
