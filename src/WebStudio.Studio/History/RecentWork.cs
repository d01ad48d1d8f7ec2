using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Studio.History;

/// <summary>
/// What the studio pages open with: the job the Generate page re-attaches to, the seed it last used, and the
/// latest images to pick an edit's source from. Like <see cref="HistoryService"/>, every method reads only the
/// given user's rows.
/// </summary>
public sealed class RecentWork(IDbContextFactory<StudioDbContext> dbFactory)
{
    /// <summary>The user's running text-to-image job, else their oldest queued one, else their latest; with its images.
    /// An edit, an upscale or a Refine turn is left to its own page: the Generate form would take an instruction model,
    /// or an edit's source size, from it.</summary>
    public async Task<GenerationJob?> CurrentJobAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mine = TextToImage(db, userId).Include(j => j.Images);
        return await mine
            .Where(j => j.Status == JobStatus.Running || j.Status == JobStatus.Queued || j.Status == JobStatus.Held)
            .OrderByDescending(j => j.Status == JobStatus.Running).ThenBy(j => j.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken)
            ?? await mine.OrderByDescending(j => j.CreatedAt).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The seed of the user's latest text-to-image job (Generate's "reuse last seed"), or null before their first.</summary>
    public async Task<long?> LastSeedAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await TextToImage(db, userId)
            .OrderByDescending(j => j.CreatedAt).Select(j => (long?)j.Seed).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>What the Generate page reopens and reuses: the user's text-to-image jobs.</summary>
    private static IQueryable<GenerationJob> TextToImage(StudioDbContext db, string userId) =>
        db.Jobs.AsNoTracking().Where(j => j.OwnerId == userId && j.Kind == JobKind.Txt2Img);

    /// <summary>The user's latest images, newest first.</summary>
    public async Task<List<GeneratedImage>> LatestImagesAsync(string userId, int count, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Images.AsNoTracking().Where(i => i.OwnerId == userId)
            .OrderByDescending(i => i.CreatedAt).Take(count).ToListAsync(cancellationToken);
    }

    /// <summary>One of the user's own images with the job that made it; null for anyone else's.</summary>
    public async Task<GeneratedImage?> FindImageWithJobAsync(string userId, Guid imageId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Images.AsNoTracking().Include(i => i.Job)
            .FirstOrDefaultAsync(i => i.Id == imageId && i.OwnerId == userId, cancellationToken);
    }
}
