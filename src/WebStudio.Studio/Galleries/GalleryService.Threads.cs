using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Jobs;

namespace WebStudio.Studio.Galleries;

/// <summary>Refine threads in galleries (issue 22): placed, removed, and read with their finished turns in order.</summary>
public sealed partial class GalleryService
{
    public async Task<AddImageOutcome> AddThreadAsync(string userId, Guid galleryId, Guid threadId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var gallery = await db.Galleries.FirstOrDefaultAsync(g => g.Id == galleryId && g.OwnerId == userId, cancellationToken);
        var owned = await db.RefineThreads.AnyAsync(t => t.Id == threadId && t.OwnerId == userId, cancellationToken);
        if (gallery is null || !owned)
        {
            return AddImageOutcome.NotFound;
        }

        if (await db.GalleryThreads.AnyAsync(t => t.GalleryId == galleryId && t.ThreadId == threadId, cancellationToken))
        {
            return AddImageOutcome.AlreadyThere;
        }

        var last = await db.GalleryThreads.Where(t => t.GalleryId == galleryId).MaxAsync(t => (int?)t.Position, cancellationToken) ?? -1;
        var now = time.GetUtcNow().UtcDateTime;
        db.GalleryThreads.Add(new GalleryThread { GalleryId = galleryId, ThreadId = threadId, Position = last + 1, AddedAt = now });
        gallery.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A double click raced us to the same placement; anything else is a real failure.
            await using var check = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (await check.GalleryThreads.AnyAsync(t => t.GalleryId == galleryId && t.ThreadId == threadId, cancellationToken))
            {
                return AddImageOutcome.AlreadyThere;
            }

            throw;
        }

        return AddImageOutcome.Added;
    }

    public async Task<bool> RemoveThreadAsync(string userId, Guid galleryId, Guid threadId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.GalleryThreads
            .Where(t => t.GalleryId == galleryId && t.ThreadId == threadId && t.Gallery!.OwnerId == userId)
            .ExecuteDeleteAsync(cancellationToken) == 1;
    }

    /// <summary>The ids of the caller's galleries that hold <paramref name="threadId"/>.</summary>
    public async Task<IReadOnlyList<Guid>> GalleriesHoldingThreadAsync(string userId, Guid threadId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.GalleryThreads.AsNoTracking().Where(t => t.ThreadId == threadId && t.Gallery!.OwnerId == userId)
            .Select(t => t.GalleryId).ToListAsync(cancellationToken);
    }

    /// <summary>Whether <paramref name="imageId"/> shows in one of the gallery's threads (a turn's result or a thread's
    /// starting image), for the share page's image route.</summary>
    internal static Task<bool> ThreadsShowImageAsync(StudioDbContext db, Guid galleryId, Guid imageId, CancellationToken cancellationToken) =>
        db.GalleryThreads.Where(g => g.GalleryId == galleryId)
            .SelectMany(g => g.Thread!.Turns)
            .AnyAsync(t => t.UndoneAt == null && (t.SourceImageId == imageId || t.Job!.Images.Any(i => i.Id == imageId)), cancellationToken);

    // Undone turns, unfinished ones and those whose image was deleted from History are left out.
    private static async Task<IReadOnlyList<GalleryThreadView>> LoadThreadsAsync(StudioDbContext db, Guid galleryId, CancellationToken cancellationToken)
    {
        var placed = await db.GalleryThreads.AsNoTracking().Where(t => t.GalleryId == galleryId)
            .OrderBy(t => t.Position).ThenBy(t => t.AddedAt)
            .Select(t => new { t.ThreadId, t.Position, t.Thread!.Title })
            .ToListAsync(cancellationToken);
        if (placed.Count == 0)
        {
            return [];
        }

        var threadIds = placed.Select(p => p.ThreadId).ToList();
        var turns = await db.RefineTurns.AsNoTracking()
            .Where(t => threadIds.Contains(t.ThreadId) && t.UndoneAt == null)
            .OrderBy(t => t.Number)
            .Select(t => new
            {
                t.ThreadId,
                t.Id,
                t.ParentId,
                t.Number,
                t.SourceImageId,
                Job = t.Job!,
                Image = t.Job!.Images.OrderBy(i => i.Index).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var sources = turns.Where(t => t.SourceImageId is not null).Select(t => t.SourceImageId!.Value).ToList();
        var liveSources = sources.Count == 0 ? [] : await db.Images.AsNoTracking().Where(i => sources.Contains(i.Id))
            .ToDictionaryAsync(i => i.Id, i => new GalleryThreadStart(i.Id, i.Width, i.Height), cancellationToken);
        var numbers = turns.ToDictionary(t => t.Id, t => t.Number);

        return placed.Select(p =>
        {
            var own = turns.Where(t => t.ThreadId == p.ThreadId).ToList();
            var start = own.FirstOrDefault(t => t.ParentId is null)?.SourceImageId is { } source ? liveSources.GetValueOrDefault(source) : null;
            var shown = own.Where(t => t.Job.Status == JobStatus.Succeeded && t.Image is not null).Select(t =>
            {
                var spec = JobSpecJson.Read(t.Job);
                return new GalleryTurn(
                    t.Number, t.ParentId is { } parent && numbers.TryGetValue(parent, out var n) ? n : null, t.Job.Prompt, t.Image!.Id,
                    t.Image.Width, t.Image.Height, t.Image.Seed, t.Job.Model, t.Job.Scheduler, t.Job.Steps, t.Job.Guidance,
                    (spec as JobSpec.InstructEdit)?.ImageGuidance) { AutoMask = (spec as JobSpec.InstructEdit)?.AutoMask };
            }).ToList();
            return new GalleryThreadView(p.ThreadId, p.Title, p.Position, start, shown);
        }).Where(view => view.Start is not null || view.Turns.Count > 0).ToList(); // every picture deleted: nothing to show, as in Refine's list
    }
}
