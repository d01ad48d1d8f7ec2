using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data.Configurations;
using WebStudio.Library.Tests.Infrastructure;
using WebStudio.Studio.History;

namespace WebStudio.Library.Tests;

/// <summary>
/// History's delete is soft, with Undo: the generation vanishes everywhere at once, Undo brings all of it back, and
/// only the sweep after the undo window removes rows and files. A gallery's remove only takes the image out of it.
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed class SoftDeleteTests : IDisposable
{
    // The sweep of the host itself waits an hour, so that only the tests' own calls remove anything.
    private readonly StudioHost _studio = StudioHost.Create(LibraryStudio.Options with
    {
        Settings = new Dictionary<string, string?> { ["Storage:DeleteSweepInterval"] = "01:00:00" },
    });

    public void Dispose() => _studio.Dispose();

    private sealed record Made(TestUser User, Guid Job, List<Guid> Images, Guid Gallery, string ImageShare, string GalleryShare);

    private async Task<Made> MakeAsync(string prompt)
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var job = await alice.GenerateAsync(prompt, batch: 2);
        var images = job.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
        var gallery = await HistoryApiTests.CreateGalleryAsync(alice, "kept");
        Assert.Equal(HttpStatusCode.Created, (await alice.Http.PutAsync($"/api/galleries/{gallery}/images/{images[0]}", null)).StatusCode);
        var imageShare = await ShareAsync(alice, $"images/{images[0]}");
        var galleryShare = await ShareAsync(alice, $"galleries/{gallery}");
        return new Made(alice, job.GetProperty("id").GetGuid(), images, gallery, imageShare, galleryShare);
    }

    private static async Task<string> ShareAsync(TestUser user, string target)
    {
        var response = await user.Http.PostAsJsonAsync($"/api/{target}/shares", new { });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
    }

    /// <summary>Everything a deleted generation shows through, each answer reduced to what matters.</summary>
    private async Task<string> VisibleAsync(Made made, string searchWord)
    {
        var http = made.User.Http;
        var anonymous = TestUser.Anonymous(_studio).Http;
        var history = await http.GetFromJsonAsync<HistoryPage>("/api/history");
        var search = await http.GetFromJsonAsync<HistoryPage>($"/api/history?q={searchWord}");
        var gallery = await http.GetFromJsonAsync<JsonElement>($"/api/galleries/{made.Gallery}");
        var galleries = await http.GetFromJsonAsync<JsonElement>("/api/galleries/");
        var galleryPage = await anonymous.GetStringAsync(new Uri(made.GalleryShare).PathAndQuery);
        return string.Join(" ",
            $"history={history!.Items.Count}",
            $"search={search!.Items.Count}",
            $"item={(int)(await http.GetAsync($"/api/history/{made.Job}")).StatusCode}",
            $"job={(int)(await http.GetAsync($"/api/jobs/{made.Job}")).StatusCode}",
            $"image={(int)(await http.GetAsync($"/api/images/{made.Images[0]}")).StatusCode}",
            $"thumb={(int)(await http.GetAsync($"/api/images/{made.Images[1]}/thumb")).StatusCode}",
            $"gallery={gallery.GetProperty("images").GetArrayLength()}",
            $"count={galleries[0].GetProperty("imageCount").GetInt32()}",
            $"imageShare={(int)(await anonymous.GetAsync(new Uri(made.ImageShare).PathAndQuery)).StatusCode}",
            $"galleryShare={(galleryPage.Contains(made.Images[0].ToString(), StringComparison.Ordinal) ? "shown" : "empty")}");
    }

    [Fact]
    public async Task A_deleted_generation_vanishes_everywhere_at_once_and_undo_brings_all_of_it_back()
    {
        var made = await MakeAsync("a soft cube");
        const string Shown = "history=1 search=1 item=200 job=200 image=200 thumb=200 gallery=1 count=1 imageShare=200 galleryShare=shown";
        Assert.Equal(Shown, await VisibleAsync(made, "soft"));

        Assert.Equal(HttpStatusCode.OK, (await made.User.Http.DeleteAsync($"/api/history/{made.Job}")).StatusCode);

        Assert.Equal("history=0 search=0 item=404 job=404 image=404 thumb=404 gallery=0 count=0 imageShare=404 galleryShare=empty",
            await VisibleAsync(made, "soft"));
        // Nothing is lost yet: the files wait for the undo window.
        Assert.Equal(2, Directory.GetFiles(_studio.ImagesPath, "*.png", SearchOption.AllDirectories).Length);

        var undo = await made.User.Http.PostAsync($"/api/history/{made.Job}/restore", null);
        Assert.Equal(HttpStatusCode.OK, undo.StatusCode);
        Assert.Equal(Shown, await VisibleAsync(made, "soft"));
        Assert.Equal(HttpStatusCode.NotFound, (await made.User.Http.PostAsync($"/api/history/{made.Job}/restore", null)).StatusCode);
    }

    [Fact]
    public async Task The_sweep_removes_rows_and_files_only_after_the_undo_window_and_then_undo_is_too_late()
    {
        var made = await MakeAsync("a swept sphere");
        var history = _studio.Get<HistoryService>();
        foreach (var id in made.Images)
        {
            Assert.Equal(HttpStatusCode.OK, (await made.User.Http.GetAsync($"/api/images/{id}/thumb")).StatusCode);
        }

        Assert.Equal(2, Directory.GetFiles(_studio.ThumbsPath()).Length);
        Assert.Equal(HttpStatusCode.OK, (await made.User.Http.DeleteAsync($"/api/history/{made.Job}")).StatusCode);

        // A sweep whose cutoff is before the delete leaves it alone.
        Assert.Equal(0, await history.PurgeDeletedAsync(DateTime.UtcNow.AddMinutes(-1)));
        Assert.Equal(2, Directory.GetFiles(_studio.ImagesPath, "*.png", SearchOption.AllDirectories).Length);

        Assert.Equal(1, await history.PurgeDeletedAsync(DateTime.UtcNow.AddSeconds(1)));

        Assert.Empty(Directory.GetFiles(_studio.ImagesPath, "*.png", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(_studio.ThumbsPath()));
        await using (var db = _studio.OpenDatabase())
        {
            var filter = new[] { SoftDeleteConfiguration.Filter };
            Assert.False(await db.Jobs.IgnoreQueryFilters(filter).AnyAsync(j => j.Id == made.Job));
            Assert.False(await db.Images.IgnoreQueryFilters(filter).AnyAsync(i => made.Images.Contains(i.Id)));
            Assert.False(await db.GalleryItems.IgnoreQueryFilters(filter).AnyAsync(i => i.GalleryId == made.Gallery));
        }

        var late = await made.User.Http.PostAsync($"/api/history/{made.Job}/restore", null);
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
        Assert.Equal("application/problem+json", late.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_undo_before_the_sweep_keeps_the_files_and_another_users_undo_finds_nothing()
    {
        var made = await MakeAsync("an undone cone");
        var bob = await TestUser.RegisterAsync(_studio, "bob");
        var history = _studio.Get<HistoryService>();
        Assert.Equal(DeleteOutcome.Deleted, await history.DeleteAsync(made.User.Id, made.Job));

        Assert.False(await history.RestoreAsync(bob.Id, made.Job));
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.PostAsync($"/api/history/{made.Job}/restore", null)).StatusCode);
        Assert.True(await history.RestoreAsync(made.User.Id, made.Job));

        Assert.Equal(0, await history.PurgeDeletedAsync(DateTime.UtcNow.AddMinutes(1)));
        Assert.Equal(2, Directory.GetFiles(_studio.ImagesPath, "*.png", SearchOption.AllDirectories).Length);
        Assert.Equal(HttpStatusCode.OK, (await made.User.Http.GetAsync($"/api/images/{made.Images[0]}")).StatusCode);
    }

    [Fact]
    public async Task Removing_an_image_from_a_gallery_only_takes_it_out_of_that_gallery()
    {
        var made = await MakeAsync("a gallery pyramid");
        var other = await HistoryApiTests.CreateGalleryAsync(made.User, "other");
        Assert.Equal(HttpStatusCode.Created, (await made.User.Http.PutAsync($"/api/galleries/{other}/images/{made.Images[0]}", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await made.User.Http.DeleteAsync($"/api/galleries/{made.Gallery}/images/{made.Images[0]}")).StatusCode);

        Assert.Equal(0, (await made.User.Http.GetFromJsonAsync<JsonElement>($"/api/galleries/{made.Gallery}")).GetProperty("images").GetArrayLength());
        Assert.Equal(1, (await made.User.Http.GetFromJsonAsync<JsonElement>($"/api/galleries/{other}")).GetProperty("images").GetArrayLength());
        Assert.Single((await made.User.Http.GetFromJsonAsync<HistoryPage>("/api/history"))!.Items);
        Assert.Equal(HttpStatusCode.OK, (await made.User.Http.GetAsync($"/api/images/{made.Images[0]}")).StatusCode);
        Assert.Equal(2, Directory.GetFiles(_studio.ImagesPath, "*.png", SearchOption.AllDirectories).Length);
    }
}
