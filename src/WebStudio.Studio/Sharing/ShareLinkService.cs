using Microsoft.EntityFrameworkCore;
using WebStudio.Studio.Jobs;
using WebStudio.Data;
using WebStudio.Studio.Galleries;

using WebStudio.Studio.Storage;
using WebStudio.Studio.Team;

namespace WebStudio.Studio.Sharing;

/// <summary>
/// Creates, lists, revokes and resolves share links. Resolving hashes whatever token arrives and looks the hash
/// up by its unique index; unknown, revoked and expired links then all take the same single path to "none".
/// </summary>
public sealed class ShareLinkService(IDbContextFactory<StudioDbContext> dbFactory, TeamPolicies policies, AuditLog audit, TimeProvider time)
{
    public const int LabelLimit = 200;

    public async Task<CreatedShare?> CreateAsync(string userId, ShareRequest request, CancellationToken cancellationToken = default)
    {
        if (await policies.ForUserAsync(userId, cancellationToken) is { CanShare: false } policy)
        {
            throw new PermissionDeniedException($"the {policy.Role} role may not share");
        }

        if ((request.GalleryId is null) == (request.ImageId is null))
        {
            throw new FieldValidationException("target", "share either a gallery or an image");
        }

        var label = (request.Label ?? "").Trim();
        if (label.Length > LabelLimit)
        {
            throw new FieldValidationException("label", $"the label can be at most {LabelLimit} characters");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var expires = request.ExpiresAt?.ToUniversalTime();
        if (expires is { } e && e <= now)
        {
            throw new FieldValidationException("expiresAt", "the expiry must be in the future");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owned = request.GalleryId is { } galleryId
            ? await db.Galleries.AnyAsync(g => g.Id == galleryId && g.OwnerId == userId, cancellationToken)
            : await db.Images.AnyAsync(i => i.Id == request.ImageId && i.OwnerId == userId, cancellationToken);
        if (!owned)
        {
            return null;
        }

        var token = ShareToken.Create();
        var link = new ShareLink
        {
            OwnerId = userId,
            TokenHash = ShareToken.Hash(token),
            GalleryId = request.GalleryId,
            ImageId = request.ImageId,
            Label = label,
            HidePrompts = request.HidePrompts,
            ExpiresAt = expires,
            CreatedAt = now,
        };
        db.ShareLinks.Add(link);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedShare(ToView(link, now), token);
    }

    /// <summary>The caller's links to one gallery or one image, newest first; null when the target is not theirs.</summary>
    public async Task<IReadOnlyList<ShareLinkView>?> ListAsync(string userId, Guid? galleryId, Guid? imageId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owned = galleryId is { } g
            ? await db.Galleries.AnyAsync(x => x.Id == g && x.OwnerId == userId, cancellationToken)
            : await db.Images.AnyAsync(x => x.Id == imageId && x.OwnerId == userId, cancellationToken);
        if (!owned)
        {
            return null;
        }

        var links = db.ShareLinks.AsNoTracking().Where(l => l.OwnerId == userId && l.GalleryId == galleryId && l.ImageId == imageId);

        var now = time.GetUtcNow().UtcDateTime;
        return (await links.OrderByDescending(l => l.CreatedAt).ToListAsync(cancellationToken)).Select(l => ToView(l, now)).ToList();
    }

    /// <summary>The caller's links to single images (gallery links are listed on each gallery), newest first.</summary>
    public async Task<IReadOnlyList<ShareLinkView>> ListImageLinksAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        return (await db.ShareLinks.AsNoTracking().Where(l => l.OwnerId == userId && l.ImageId != null)
                .OrderByDescending(l => l.CreatedAt).ToListAsync(cancellationToken))
            .Select(l => ToView(l, now)).ToList();
    }

    /// <summary>An administrator revokes anyone's link (audited); false when there is no such link.</summary>
    public async Task<bool> RevokeAsAdministratorAsync(Actor actor, Guid linkId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var link = await db.ShareLinks.FirstOrDefaultAsync(l => l.Id == linkId, cancellationToken);
        if (link is null)
        {
            return false;
        }

        if (link.RevokedAt is null)
        {
            link.RevokedAt = time.GetUtcNow().UtcDateTime;
            var owner = await db.Set<StudioUser>().Where(u => u.Id == link.OwnerId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
            audit.Add(db, actor, AuditActions.ShareRevoked, $"share link {link.Id}", $"owner {owner ?? link.OwnerId}, label '{link.Label}'");
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>Revokes the caller's link; the very next request with its token gets 404. Revoking twice is fine.</summary>
    public async Task<bool> RevokeAsync(string userId, Guid linkId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await db.ShareLinks.Where(l => l.Id == linkId && l.OwnerId == userId && l.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, now), cancellationToken);
        return await db.ShareLinks.AnyAsync(l => l.Id == linkId && l.OwnerId == userId, cancellationToken);
    }

    public async Task<ResolvedShare?> ResolveAsync(string token, CancellationToken cancellationToken = default)
    {
        var hash = ShareToken.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var link = await db.ShareLinks.AsNoTracking().Where(l => l.TokenHash == hash)
            .Select(l => new { l.Id, l.GalleryId, l.ImageId, l.HidePrompts, l.RevokedAt, l.ExpiresAt })
            .FirstOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var live = link is not null && link.RevokedAt is null && (link.ExpiresAt is null || link.ExpiresAt > now);
        return live ? new ResolvedShare(link!.Id, link.GalleryId, link.ImageId, link.HidePrompts) : null;
    }

    /// <summary>The content of a live link, or null when its gallery or image has gone.</summary>
    public async Task<SharedContent?> LoadContentAsync(ResolvedShare share, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (share.GalleryId is { } galleryId)
        {
            var gallery = await db.Galleries.AsNoTracking().FirstOrDefaultAsync(g => g.Id == galleryId, cancellationToken);
            if (gallery is null)
            {
                return null;
            }

            var details = await GalleryService.LoadDetailsAsync(db, gallery, cancellationToken);
            var images = details.Images.Select(i => new SharedImage(
                i.ImageId, i.Width, i.Height, i.Seed, share.HidePrompts ? null : i.Prompt, share.HidePrompts ? null : i.NegativePrompt,
                i.Model, i.Scheduler, i.Steps, i.Guidance) { Resolution = i.Resolution, Parameters = share.HidePrompts ? null : i.Parameters }).ToList();
            var threads = details.Threads.Select(t => new SharedThread(
                share.HidePrompts ? null : t.Title, t.Start,
                t.Turns.Select(u => new SharedTurn(u.Number, u.ParentNumber, share.HidePrompts ? null : u.Instruction, u.ImageId, u.Width, u.Height,
                    u.Seed, u.Model, u.Scheduler, u.Steps, u.TextGuidance, u.ImageGuidance) { AutoMask = u.AutoMask }).ToList())).ToList();
            return new SharedContent(details.Name, details.Description, share.HidePrompts, details.CoverImageId, images) { Threads = threads };
        }

        var image = await db.Images.AsNoTracking().Include(i => i.Job).FirstOrDefaultAsync(i => i.Id == share.ImageId, cancellationToken);
        if (image?.Job is not { } job)
        {
            return null;
        }

        var single = new SharedImage(image.Id, image.Width, image.Height, image.Seed, share.HidePrompts ? null : job.Prompt,
            share.HidePrompts ? null : job.NegativePrompt, job.Model, job.Scheduler, job.Steps, job.Guidance)
        {
            Resolution = ImageResolution.For(job, image.Width, image.Height).ToString(),
            Parameters = share.HidePrompts ? null : A1111Parameters.TryFormat(job, image.Seed, image.Width, image.Height, image.Index),
        };
        var title = share.HidePrompts || string.IsNullOrWhiteSpace(job.Prompt) ? "A WebStudio image" : Shorten(job.Prompt, 80);
        return new SharedContent(title, "", share.HidePrompts, image.Id, [single]);
    }

    /// <summary>The stored file of an image the link covers, or null when it covers no such image.</summary>
    public async Task<GeneratedImage?> FindImageAsync(ResolvedShare share, Guid imageId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var covered = share.ImageId == imageId
            || (share.GalleryId is { } galleryId
                && (await db.GalleryItems.AnyAsync(i => i.GalleryId == galleryId && i.ImageId == imageId, cancellationToken)
                    || await GalleryService.ThreadsShowImageAsync(db, galleryId, imageId, cancellationToken)));
        return covered ? await db.Images.AsNoTracking().FirstOrDefaultAsync(i => i.Id == imageId, cancellationToken) : null;
    }

    private static ShareLinkView ToView(ShareLink l, DateTime now) => new(
        l.Id, l.GalleryId, l.ImageId, l.Label, l.HidePrompts, l.CreatedAt, l.ExpiresAt, l.RevokedAt,
        l.RevokedAt is null && (l.ExpiresAt is null || l.ExpiresAt > now));

    private static string Shorten(string text, int limit) => text.Length <= limit ? text : text[..(limit - 1)].TrimEnd() + "…";
}
