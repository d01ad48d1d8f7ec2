using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Jobs;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Queue;

/// <summary>What the lease tests share: the studio's database, jobs written as a dead worker leaves them, and the
/// image files on disk.</summary>
internal static class LeaseTestData
{
    /// <summary>A lease of one second: renewed every third of a second, so that a lost one shows within a test.</summary>
    public static Dictionary<string, string?> ShortLease(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Queue:LeaseSeconds"] = "1" };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static Task<StudioDbContext> OpenAsync(StudioHost factory) =>
        factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();

    /// <summary>A job claimed by a worker of another machine that died: running, its lease ending at <paramref name="leaseEnd"/>.</summary>
    public static async Task<Guid> StoreOrphanAsync(StudioHost factory, string prompt, int attempts, DateTime leaseEnd)
    {
        await using var db = await OpenAsync(factory);
        var owner = await db.Users.Select(u => u.Id).FirstAsync();
        var job = new GenerationJob
        {
            OwnerId = owner,
            Width = 64,
            Height = 64,
            Status = JobStatus.Running,
            StartedAt = DateTime.UtcNow,
            WorkerId = "elsewhere/4242/dead0000#0",
            Attempts = attempts,
            ClaimToken = attempts,
            LeaseExpiresAt = leaseEnd,
        };
        JobSpecJson.Store(job, StudioUserClient.Parameters(prompt, steps: 3));
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }

    /// <summary>The PNG files under the images folder, relative to it, as the image rows name them.</summary>
    public static List<string> ImageFiles(StudioHost factory)
    {
        var root = factory.ImagesPath;
        return Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*.png", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList()
            : [];
    }
}
