using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Studio.Queue;

/// <summary>
/// The one rule for every id that comes from a request: a job or image is visible to its owner and to the
/// administrator, and to nobody else — who gets "not found", never a hint that it exists.
/// </summary>
public sealed class JobAccess(IDbContextFactory<StudioDbContext> dbFactory)
{
    public const string AdminRole = StudioRoles.Admin;

    public static string? UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(AdminRole);

    public async Task<GenerationJob?> FindJobAsync(Guid jobId, ClaimsPrincipal user, bool withImages = false, CancellationToken cancellationToken = default)
    {
        if (UserId(user) is not { } userId)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        IQueryable<GenerationJob> jobs = db.Jobs.AsNoTracking();
        if (withImages)
        {
            jobs = jobs.Include(j => j.Images.OrderBy(i => i.Index));
        }

        var job = await jobs.FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        return job is not null && (job.OwnerId == userId || IsAdmin(user)) ? job : null;
    }

    /// <summary>Those of <paramref name="jobIds"/> that are still there and the user may see (their own, or any for an
    /// administrator), in the order asked, with their images.</summary>
    public async Task<IReadOnlyList<GenerationJob>> FindJobsAsync(IReadOnlyList<Guid> jobIds, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (UserId(user) is not { } userId || jobIds.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.Jobs.AsNoTracking().Include(j => j.Images.OrderBy(i => i.Index))
            .Where(j => jobIds.Contains(j.Id) && (j.OwnerId == userId || IsAdmin(user)))
            .ToDictionaryAsync(j => j.Id, cancellationToken);
        return [.. jobIds.Where(found.ContainsKey).Select(id => found[id])];
    }

    public async Task<GeneratedImage?> FindImageAsync(Guid imageId, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (UserId(user) is not { } userId)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var image = await db.Images.AsNoTracking().FirstOrDefaultAsync(i => i.Id == imageId, cancellationToken);
        return image is not null && (image.OwnerId == userId || IsAdmin(user)) ? image : null;
    }
}
