using Microsoft.EntityFrameworkCore;
using WebStudio.Studio.Jobs;
using WebStudio.Data;

using WebStudio.Studio.Storage;

namespace WebStudio.Studio.Galleries;

/// <summary>
/// Galleries of one owner. Every call names the caller; a gallery or image of someone else is "not found".
/// Positions are dense (0..n-1) and rewritten on every move, which is cheap at the sizes people keep.
/// </summary>
public sealed partial class GalleryService(IDbContextFactory<StudioDbContext> dbFactory, TimeProvider time)
{
    public const int NameLimit = 200;
    public const int DescriptionLimit = 4000;

    public async Task<IReadOnlyList<GallerySummary>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Galleries.AsNoTracking().Where(g => g.OwnerId == userId)
            .OrderBy(g => g.Position).ThenBy(g => g.CreatedAt)
            .Select(g => new GallerySummary(
                g.Id, g.Name, g.Description, g.Position,
                g.CoverImageId ?? g.Items.OrderBy(i => i.Position).Select(i => (Guid?)i.ImageId).FirstOrDefault(),
                g.Items.Count, g.UpdatedAt) { ThreadCount = g.Threads.Count })
            .ToListAsync(cancellationToken);
    }

    public async Task<GalleryDetails?> GetAsync(string userId, Guid galleryId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var gallery = await db.Galleries.AsNoTracking().FirstOrDefaultAsync(g => g.Id == galleryId && g.OwnerId == userId, cancellationToken);
        return gallery is null ? null : await LoadDetailsAsync(db, gallery, cancellationToken);
    }

    /// <summary>The gallery's images, whoever asks; callers check ownership or a share link first.</summary>
    internal static async Task<GalleryDetails> LoadDetailsAsync(StudioDbContext db, Gallery gallery, CancellationToken cancellationToken)
    {
        var images = await db.GalleryItems.AsNoTracking().Where(i => i.GalleryId == gallery.Id)
            .OrderBy(i => i.Position).ThenBy(i => i.AddedAt)
            .Select(i => new GalleryImage(
                i.ImageId, i.Image!.JobId, i.Position, i.Image.Seed, i.Image.Width, i.Image.Height, i.Image.Job!.Prompt,
                i.Image.Job.NegativePrompt, i.Image.Job.Model, i.Image.Job.Scheduler, i.Image.Job.Steps, i.Image.Job.Guidance,
                i.Image.FileName, i.Image.CreatedAt)
                {
                    Resolution = ImageResolution.For(i.Image.Job, i.Image.Width, i.Image.Height).ToString(),
                    Parameters = A1111Parameters.TryFormat(i.Image.Job, i.Image.Seed, i.Image.Width, i.Image.Height, i.Image.Index),
                })
            .ToListAsync(cancellationToken);
        var threads = await LoadThreadsAsync(db, gallery.Id, cancellationToken);
        var cover = gallery.CoverImageId ?? images.FirstOrDefault()?.ImageId ?? threads.FirstOrDefault(t => t.Turns.Count > 0)?.Turns[^1].ImageId;
        return new GalleryDetails(gallery.Id, gallery.Name, gallery.Description, cover, images) { Threads = threads };
    }

    /// <summary>The ids of the caller's galleries that hold <paramref name="imageId"/>.</summary>
    public async Task<IReadOnlyList<Guid>> GalleriesHoldingAsync(string userId, Guid imageId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.GalleryItems.AsNoTracking().Where(i => i.ImageId == imageId && i.Gallery!.OwnerId == userId)
            .Select(i => i.GalleryId).ToListAsync(cancellationToken);
    }

    public async Task<GallerySummary> CreateAsync(string userId, string name, string? description, CancellationToken cancellationToken = default)
    {
        var (cleanName, cleanDescription) = Validate(name, description);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var last = await db.Galleries.Where(g => g.OwnerId == userId).MaxAsync(g => (int?)g.Position, cancellationToken) ?? -1;
        var now = time.GetUtcNow().UtcDateTime;
        var gallery = new Gallery { OwnerId = userId, Name = cleanName, Description = cleanDescription, Position = last + 1, CreatedAt = now, UpdatedAt = now };
        db.Galleries.Add(gallery);
        await db.SaveChangesAsync(cancellationToken);
        return new GallerySummary(gallery.Id, gallery.Name, gallery.Description, gallery.Position, null, 0, now);
    }

    /// <summary>Renames and/or re-describes; a null field stays as it is.</summary>
    public async Task<bool> UpdateAsync(string userId, Guid galleryId, string? name, string? description, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var gallery = await db.Galleries.FirstOrDefaultAsync(g => g.Id == galleryId && g.OwnerId == userId, cancellationToken);
        if (gallery is null)
        {
            return false;
        }

        var (cleanName, cleanDescription) = Validate(name ?? gallery.Name, description ?? gallery.Description);
        gallery.Name = cleanName;
        gallery.Description = cleanDescription;
        gallery.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Deletes the gallery, its placements and its share links; the images stay in the history.</summary>
    public async Task<bool> DeleteAsync(string userId, Guid galleryId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Galleries.Where(g => g.Id == galleryId && g.OwnerId == userId).ExecuteDeleteAsync(cancellationToken) == 1;
    }

    /// <summary>Moves a gallery to <paramref name="newIndex"/> in the owner's list (clamped to the ends).</summary>
    public async Task<bool> MoveAsync(string userId, Guid galleryId, int newIndex, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var all = await db.Galleries.Where(g => g.OwnerId == userId).OrderBy(g => g.Position).ThenBy(g => g.CreatedAt).ToListAsync(cancellationToken);
        var moving = all.FirstOrDefault(g => g.Id == galleryId);
        if (moving is null)
        {
            return false;
        }

        all.Remove(moving);
        all.Insert(Math.Clamp(newIndex, 0, all.Count), moving);
        for (var i = 0; i < all.Count; i++)
        {
            all[i].Position = i;
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<AddImageOutcome> AddImageAsync(string userId, Guid galleryId, Guid imageId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var gallery = await db.Galleries.FirstOrDefaultAsync(g => g.Id == galleryId && g.OwnerId == userId, cancellationToken);
        var owned = await db.Images.AnyAsync(i => i.Id == imageId && i.OwnerId == userId, cancellationToken);
        if (gallery is null || !owned)
        {
            return AddImageOutcome.NotFound;
        }

        if (await db.GalleryItems.AnyAsync(i => i.GalleryId == galleryId && i.ImageId == imageId, cancellationToken))
        {
            return AddImageOutcome.AlreadyThere;
        }

        var last = await db.GalleryItems.Where(i => i.GalleryId == galleryId).MaxAsync(i => (int?)i.Position, cancellationToken) ?? -1;
        var now = time.GetUtcNow().UtcDateTime;
        db.GalleryItems.Add(new GalleryItem { GalleryId = galleryId, ImageId = imageId, Position = last + 1, AddedAt = now });
        gallery.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A double click raced us to the same placement; anything else is a real failure.
            if (await IsInGalleryAsync(galleryId, imageId, cancellationToken))
            {
                return AddImageOutcome.AlreadyThere;
            }

            throw;
        }

        return AddImageOutcome.Added;
    }

    public async Task<bool> RemoveImageAsync(string userId, Guid galleryId, Guid imageId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var removed = await db.GalleryItems
            .Where(i => i.GalleryId == galleryId && i.ImageId == imageId && i.Gallery!.OwnerId == userId)
            .ExecuteDeleteAsync(cancellationToken) == 1;
        if (removed)
        {
            await db.Galleries.Where(g => g.Id == galleryId && g.CoverImageId == imageId)
                .ExecuteUpdateAsync(s => s.SetProperty(g => g.CoverImageId, (Guid?)null), cancellationToken);
        }

        return removed;
    }

    /// <summary>Moves an image to <paramref name="newIndex"/> inside the gallery (clamped to the ends).</summary>
    public async Task<bool> MoveImageAsync(string userId, Guid galleryId, Guid imageId, int newIndex, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var items = await db.GalleryItems.Where(i => i.GalleryId == galleryId && i.Gallery!.OwnerId == userId)
            .OrderBy(i => i.Position).ThenBy(i => i.AddedAt).ToListAsync(cancellationToken);
        var moving = items.FirstOrDefault(i => i.ImageId == imageId);
        if (moving is null)
        {
            return false;
        }

        items.Remove(moving);
        items.Insert(Math.Clamp(newIndex, 0, items.Count), moving);
        for (var i = 0; i < items.Count; i++)
        {
            items[i].Position = i;
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Makes an image of the gallery its cover (null: back to the first image).</summary>
    public async Task<bool> SetCoverAsync(string userId, Guid galleryId, Guid? imageId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (imageId is { } id && !await db.GalleryItems.AnyAsync(i => i.GalleryId == galleryId && i.ImageId == id, cancellationToken))
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        return await db.Galleries.Where(g => g.Id == galleryId && g.OwnerId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.CoverImageId, imageId).SetProperty(g => g.UpdatedAt, now), cancellationToken) == 1;
    }

    private async Task<bool> IsInGalleryAsync(Guid galleryId, Guid imageId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.GalleryItems.AnyAsync(i => i.GalleryId == galleryId && i.ImageId == imageId, cancellationToken);
    }

    private static (string Name, string Description) Validate(string? name, string? description)
    {
        var cleanName = (name ?? "").Trim();
        var cleanDescription = (description ?? "").Trim();
        if (cleanName.Length == 0)
        {
            throw new FieldValidationException("name", "the gallery needs a name");
        }

        if (cleanName.Length > NameLimit)
        {
            throw new FieldValidationException("name", $"the name can be at most {NameLimit} characters");
        }

        if (cleanDescription.Length > DescriptionLimit)
        {
            throw new FieldValidationException("description", $"the description can be at most {DescriptionLimit} characters");
        }

        return (cleanName, cleanDescription);
    }
}
