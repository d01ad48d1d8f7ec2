using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Data.Configurations;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Storage;

namespace WebStudio.Studio.History;

/// <summary>
/// A user's own generations: keyset-paged search and filters, re-run through the queue, and delete with Undo. Every
/// method takes the caller's user id and only ever touches that user's rows, so a foreign id behaves exactly like
/// one that never existed.
/// </summary>
public sealed class HistoryService(
    IDbContextFactory<StudioDbContext> dbFactory, JobQueue queue, ImageStore images, ThumbnailStore thumbnails, TimeProvider time,
    ILogger<HistoryService> logger)
{
    public const int DefaultPageSize = 48;
    public const int MaxPageSize = 200;

    public async Task<HistoryPage> QueryAsync(string userId, HistoryFilter filter, HistoryCursor? after, int pageSize = DefaultPageSize, CancellationToken cancellationToken = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var jobs = db.Jobs.AsNoTracking().Where(j => j.OwnerId == userId);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = "%" + EscapeLike(filter.Search.Trim()) + "%";
            // SQLite's LIKE ignores case (ASCII); PostgreSQL's does not, so there the same search is an ILIKE.
            jobs = db.Database.IsNpgsql()
                ? jobs.Where(j => EF.Functions.ILike(j.Prompt, pattern, "\\") || EF.Functions.ILike(j.NegativePrompt, pattern, "\\"))
                : jobs.Where(j => EF.Functions.Like(j.Prompt, pattern, "\\") || EF.Functions.Like(j.NegativePrompt, pattern, "\\"));
        }

        if (!string.IsNullOrEmpty(filter.Model))
        {
            jobs = jobs.Where(j => j.Model == filter.Model);
        }

        if (!string.IsNullOrEmpty(filter.Scheduler))
        {
            jobs = jobs.Where(j => j.Scheduler == filter.Scheduler);
        }

        if (filter.Status is { } status)
        {
            jobs = jobs.Where(j => j.Status == status);
        }

        if (filter.From is { } from)
        {
            var start = StartOf(from, filter.Zone);
            jobs = jobs.Where(j => j.CreatedAt >= start);
        }

        if (filter.To is { } to)
        {
            var end = StartOf(to.AddDays(1), filter.Zone);
            jobs = jobs.Where(j => j.CreatedAt < end);
        }

        if (after is { } cursor)
        {
            jobs = jobs.Where(j => j.CreatedAt < cursor.CreatedAt || (j.CreatedAt == cursor.CreatedAt && j.Id.CompareTo(cursor.Id) < 0));
        }

        var page = await jobs.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var more = page.Count > pageSize;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        var ids = page.Select(j => j.Id).ToList();
        var pictures = (await db.Images.AsNoTracking().Where(i => ids.Contains(i.JobId)).ToListAsync(cancellationToken))
            .ToLookup(i => i.JobId);
        var items = page.Select(j => ToItem(j, pictures[j.Id])).ToList();
        return new HistoryPage(items, more ? new HistoryCursor(page[^1].CreatedAt, page[^1].Id).ToString() : null);
    }

    public async Task<HistoryItem?> FindAsync(string userId, Guid jobId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.AsNoTracking().Include(j => j.Images)
            .FirstOrDefaultAsync(j => j.Id == jobId && j.OwnerId == userId, cancellationToken);
        return job is null ? null : ToItem(job, job.Images);
    }

    public async Task<HistoryFacets> FacetsAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Deleted generations count too (until the sweep): so the index (OwnerId, Model|Scheduler, CreatedAt) covers
        // the query, which then reads no table row at all; a value left over for a few seconds is harmless.
        var mine = db.Jobs.AsNoTracking().IgnoreQueryFilters([SoftDeleteConfiguration.Filter]).Where(j => j.OwnerId == userId);
        var models = await mine.Select(j => j.Model).Distinct().OrderBy(m => m).ToListAsync(cancellationToken);
        var schedulers = await mine.Select(j => j.Scheduler).Distinct().OrderBy(s => s).ToListAsync(cancellationToken);
        return new HistoryFacets(models, schedulers);
    }

    /// <summary>Queues the generation again with the same parameters; the same seed, or a new random one.</summary>
    public async Task<SubmitOutcome?> RerunAsync(string userId, Guid jobId, bool newSeed, CancellationToken cancellationToken = default)
    {
        var item = await FindAsync(userId, jobId, cancellationToken);
        if (item is null)
        {
            return null;
        }

        // An edit's prepared pixels are not kept after the job, so only text-to-image runs are repeated here.
        JobSpec spec;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            spec = JobSpecJson.Read(await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == jobId, cancellationToken));
        }

        if (spec is not JobSpec.Txt2Img txt)
        {
            return new SubmitOutcome(null, SubmitRefusal.Invalid,
                [new FieldProblem("job", "edits are run again from the Edit page: open the image there")]);
        }

        // A new seed for varied images is new variation seeds too: the same strength, other pictures.
        var again = newSeed ? txt with { Seed = -1, VariationSeed = txt.VariationSeed is null ? null : -1 } : txt;
        return await queue.SubmitAsync(userId, again, null, JobSource.Studio, cancellationToken);
    }

    /// <summary>
    /// Deletes a finished generation softly: the job and its images get <c>DeletedAt</c> and vanish from history,
    /// galleries, share pages, search and the API at once. <see cref="RestoreAsync"/> brings them back until
    /// <see cref="PurgeDeletedAsync"/> removes the rows and files once the undo window has passed. A second delete
    /// finds nothing and says so; it is not an error.
    /// </summary>
    public async Task<DeleteOutcome> DeleteAsync(string userId, Guid jobId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var status = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId && j.OwnerId == userId)
            .Select(j => (JobStatus?)j.Status).FirstOrDefaultAsync(cancellationToken);
        if (status is null)
        {
            return DeleteOutcome.NotFound;
        }

        if (status is JobStatus.Queued or JobStatus.Running or JobStatus.Held)
        {
            return DeleteOutcome.StillActive;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Guarded by owner and status, so a job re-queued meanwhile is never deleted under a worker.
        var rows = await db.Jobs
            .Where(j => j.Id == jobId && j.OwnerId == userId && j.Status != JobStatus.Queued && j.Status != JobStatus.Running && j.Status != JobStatus.Held)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.DeletedAt, now), cancellationToken);
        if (rows == 0)
        {
            return DeleteOutcome.NotFound;
        }

        await db.Images.Where(i => i.JobId == jobId).ExecuteUpdateAsync(s => s.SetProperty(i => i.DeletedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return DeleteOutcome.Deleted;
    }

    /// <summary>Undo: brings a deleted generation back, with its images, gallery places and share links, as long as
    /// the sweep has not removed it yet. False when there is nothing of the caller's to restore.</summary>
    public async Task<bool> RestoreAsync(string userId, Guid jobId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = await db.Jobs.IgnoreQueryFilters([SoftDeleteConfiguration.Filter])
            .Where(j => j.Id == jobId && j.OwnerId == userId && j.DeletedAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.DeletedAt, (DateTime?)null), cancellationToken);
        if (rows == 0)
        {
            return false;
        }

        await db.Images.IgnoreQueryFilters([SoftDeleteConfiguration.Filter]).Where(i => i.JobId == jobId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.DeletedAt, (DateTime?)null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Removes for good the generations deleted before <paramref name="cutoff"/>: rows first (their gallery places
    /// and share links go with them), then files. Each row is removed only while still deleted, so an Undo that lands
    /// meanwhile wins and keeps its files. Returns how many generations went.
    /// </summary>
    public async Task<int> PurgeDeletedAsync(DateTime cutoff, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var jobs = db.Jobs.IgnoreQueryFilters([SoftDeleteConfiguration.Filter]);
        var expired = await jobs.AsNoTracking().Where(j => j.DeletedAt != null && j.DeletedAt <= cutoff)
            .OrderBy(j => j.DeletedAt).Take(500).Select(j => j.Id).ToListAsync(cancellationToken);
        var purged = 0;
        foreach (var jobId in expired)
        {
            var pictures = await db.Images.IgnoreQueryFilters([SoftDeleteConfiguration.Filter]).AsNoTracking()
                .Where(i => i.JobId == jobId).ToListAsync(cancellationToken);
            if (await jobs.Where(j => j.Id == jobId && j.DeletedAt != null && j.DeletedAt <= cutoff).ExecuteDeleteAsync(cancellationToken) == 0)
            {
                continue; // restored meanwhile
            }

            purged++;
            foreach (var image in pictures)
            {
                DeleteFiles(image);
            }
        }

        return purged;
    }

    private void DeleteFiles(GeneratedImage image)
    {
        try
        {
            if (images.Resolve(image.FileName) is { } path)
            {
                File.Delete(path);
            }

            thumbnails.Delete(image.Id);
        }
        catch (IOException e)
        {
            // The rows are gone, so nothing links to the file any more; log and let a later cleanup remove it.
            logger.LogWarning(e, "Could not delete the files of image {ImageId}", image.Id);
        }
    }

    private static HistoryItem ToItem(GenerationJob j, IEnumerable<GeneratedImage> pictures)
    {
        var spec = JobSpecJson.TryRead(j);
        var varied = spec as JobSpec.Txt2Img;
        var images = pictures.OrderBy(i => i.Index)
            .Select(i => new HistoryImage(i.Id, i.Index, i.Seed, i.Width, i.Height)
            {
                Resolution = ImageResolution.For(j, i.Width, i.Height).ToString(),
                VariationSeed = varied?.VariationSeedOf(i.Index),
                Parameters = spec is null ? null : A1111Parameters.Format(j, spec, i.Seed, i.Width, i.Height, i.Index),
            }).ToList();
        return new(
            j.Id, j.Status.ToString(), j.Prompt, j.NegativePrompt, j.Model, j.Scheduler, j.Steps, j.Guidance, j.Seed, j.Width, j.Height,
            j.BatchSize, j.CreatedAt, j.StartedAt, j.FinishedAt, j.AverageStepMs, j.TotalMs, j.FailureReason, images)
        {
            // Without images (failed, canceled, waiting), the size it makes: a hires fix's enlarged one.
            Resolution = images.Count > 0 ? images[0].Resolution
                : ImageResolution.For(j, j.Width * (j.HiresFactor ?? 1), j.Height * (j.HiresFactor ?? 1)).ToString(),
            LoadMs = j.LoadMs,
            VariationStrength = varied?.VariationSeed is null ? 0f : varied.VariationStrength,
        };
    }

    /// <summary>The UTC instant a day of <paramref name="zone"/> starts: its midnight, or where a change of clocks skips
    /// midnight there, the first half hour that exists.</summary>
    private static DateTime StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddMinutes(30);
        }

        return TimeZoneInfo.ConvertTimeToUtc(midnight, zone);
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}

public enum DeleteOutcome
{
    Deleted,
    NotFound,
    StillActive,
}
