using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Web.Editing;
using WebStudio.Studio.Editing;
using WebStudio.Web.Options;
using WebStudio.Studio.Options;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Editing;

public sealed class UploadCleanupTests
{
    [Fact]
    public void Uploads_older_than_the_retention_go_and_newer_ones_stay()
    {
        using var folder = new TempFolder();
        var store = new UploadStore(Microsoft.Extensions.Options.Options.Create(new StorageOptions { ImagesPath = Path.Combine(folder.Path, "images") }));
        using var image = new Image<Rgb24>(8, 8);
        var old = store.SaveSource("alice", image);
        var fresh = store.SaveSource("alice", image);
        var otherUsers = store.SaveSource("bob", image);
        var now = DateTime.UtcNow;
        File.SetLastWriteTimeUtc(store.SourcePath("alice", old)!, now.AddDays(-2));
        File.SetLastWriteTimeUtc(store.SourcePath("bob", otherUsers)!, now.AddDays(-2));

        Assert.Equal(2, store.DeleteOlderThan(now.AddDays(-1)));

        Assert.Null(store.SourcePath("alice", old));
        Assert.NotNull(store.SourcePath("alice", fresh));
        Assert.Null(store.SourcePath("bob", otherUsers));
        Assert.Single(Directory.GetDirectories(Path.Combine(folder.Path, "uploads"))); // bob's emptied folder went too
        Assert.Equal(0, store.DeleteOlderThan(now.AddDays(-1)));
    }
}
