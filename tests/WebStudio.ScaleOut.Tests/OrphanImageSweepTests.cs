using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.ScaleOut.Tests.Cluster;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Storage;

namespace WebStudio.ScaleOut.Tests;

/// <summary>
/// Image files that no image row names (a crash between a store's file write and its commit) are removed by the
/// maintenance sweep once older than the grace period; files with rows, young files, and files that are not the
/// store's own names are kept.
/// </summary>
[Trait("Capability", "ScaleOut")]
[Collection(PostgresCollection.Name)]
public sealed class OrphanImageSweepTests(PostgresServer server)
{
    private static readonly DateTime LongAgo = DateTime.UtcNow.AddDays(-3);

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Old_files_without_an_image_row_are_removed_and_every_other_file_is_kept(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var root = core.Services.GetRequiredService<ImageStore>().Root;
        var alice = (await core.AddUsersAsync("alice"))[0];
        var job = await core.SubmitAsync(alice, "stored");
        var stored = Guid.NewGuid();
        await using (var db = await core.CreateDbContextAsync())
        {
            db.Images.Add(new GeneratedImage { Id = stored, JobId = job.Id, OwnerId = alice, FileName = $"2026-11-30/{stored:N}.png", Width = 64, Height = 64 });
            await db.SaveChangesAsync();
        }

        var kept = new[]
        {
            File(root, $"2026-11-30/{stored:N}.png", LongAgo), // its row names it
            File(root, $"2026-12-02/{Guid.NewGuid():N}.png", DateTime.UtcNow.AddMinutes(-5)), // within the grace: a store on its way
            File(root, "2026-11-30/holiday.png", LongAgo), // not a name the store gives
            File(root, $"{Guid.NewGuid():N}.png", LongAgo), // not in a date folder
            File(root, $"imported/{Guid.NewGuid():N}.png", LongAgo), // nor here
        };
        var orphans = new[]
        {
            File(root, $"2026-11-30/{Guid.NewGuid():N}.png", LongAgo),
            File(root, $"2026-11-30/{Guid.NewGuid():N}.png.tmp", LongAgo), // half written
        };

        var removed = await core.Services.GetRequiredService<OrphanImageSweep>().SweepAsync(CancellationToken.None);

        Assert.Equal(orphans.Length, removed);
        Assert.All(orphans, path => Assert.False(System.IO.File.Exists(path), $"{path} was kept"));
        Assert.All(kept, path => Assert.True(System.IO.File.Exists(path), $"{path} was removed"));
    }

    [Fact]
    public async Task The_maintenance_sweep_of_a_starting_studio_removes_an_orphaned_image_file()
    {
        using var folder = new TempFolder();
        var orphan = File(Path.Combine(folder.Path, "images"), $"2026-11-30/{Guid.NewGuid():N}.png", LongAgo);
        var young = File(Path.Combine(folder.Path, "images"), $"2026-11-30/{Guid.NewGuid():N}.png", DateTime.UtcNow);
        await using var studio = StudioHost.Create(new StudioHostOptions
        {
            DataFolder = folder.Path,
            Engine = new ScriptedEngine(),
            TinyModel = null,
            Settings = new Dictionary<string, string?> { ["Storage:OrphanImageGrace"] = "01:00:00" },
        });
        _ = studio.BaseAddress; // starts it

        await Poll.UntilAsync(() => !System.IO.File.Exists(orphan), "the orphaned file to be removed", TimeSpan.FromSeconds(20));
        Assert.True(System.IO.File.Exists(young));
    }

    private static string File(string root, string relative, DateTime writtenAt)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47]);
        System.IO.File.SetLastWriteTimeUtc(path, writtenAt);
        return path;
    }
}
