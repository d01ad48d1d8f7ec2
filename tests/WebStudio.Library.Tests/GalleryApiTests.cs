using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebStudio.Library.Tests.Infrastructure;

namespace WebStudio.Library.Tests;

public sealed class GalleryApiTests : IDisposable
{
    private readonly StudioHost _studio = StudioHost.Create(LibraryStudio.Options);

    public void Dispose() => _studio.Dispose();

    [Fact]
    public async Task Galleries_are_created_renamed_reordered_and_deleted_without_losing_images()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var image = TestUser.FirstImageId(await alice.GenerateAsync("kept"));
        var first = await HistoryApiTests.CreateGalleryAsync(alice, "First", "about the first");
        var second = await HistoryApiTests.CreateGalleryAsync(alice, "Second");
        var third = await HistoryApiTests.CreateGalleryAsync(alice, "Third");

        Assert.Equal(["First", "Second", "Third"], await NamesAsync(alice));

        Assert.Equal(HttpStatusCode.OK, (await alice.Http.PatchAsJsonAsync($"/api/galleries/{second}", new { name = "Renamed", description = "new words" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.PostAsJsonAsync($"/api/galleries/{third}/move", new { index = 0 })).StatusCode);
        Assert.Equal(["Third", "First", "Renamed"], await NamesAsync(alice));
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.PostAsJsonAsync($"/api/galleries/{third}/move", new { index = 99 })).StatusCode);
        Assert.Equal(["First", "Renamed", "Third"], await NamesAsync(alice));

        var renamed = await alice.Http.GetFromJsonAsync<JsonElement>($"/api/galleries/{second}");
        Assert.Equal("new words", renamed.GetProperty("description").GetString());

        // One image in two galleries; deleting one gallery keeps the image and its place in the other.
        Assert.Equal(HttpStatusCode.Created, (await alice.Http.PutAsync($"/api/galleries/{first}/images/{image}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await alice.Http.PutAsync($"/api/galleries/{second}/images/{image}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.PutAsync($"/api/galleries/{second}/images/{image}", null)).StatusCode); // already there
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.DeleteAsync($"/api/galleries/{first}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Http.DeleteAsync($"/api/galleries/{first}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync($"/api/images/{image}")).StatusCode);
        var kept = await alice.Http.GetFromJsonAsync<JsonElement>($"/api/galleries/{second}");
        Assert.Equal(image, kept.GetProperty("images")[0].GetProperty("imageId").GetGuid());
    }

    [Fact]
    public async Task Images_are_ordered_and_the_cover_can_be_chosen()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var job = await alice.GenerateAsync("three", batch: 3);
        var images = job.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
        var gallery = await HistoryApiTests.CreateGalleryAsync(alice, "Ordered");
        foreach (var id in images)
        {
            await alice.Http.PutAsync($"/api/galleries/{gallery}/images/{id}", null);
        }

        var summary = (await alice.Http.GetFromJsonAsync<JsonElement>("/api/galleries"))[0];
        Assert.Equal(images[0], summary.GetProperty("coverImageId").GetGuid()); // first image until chosen
        Assert.Equal(3, summary.GetProperty("imageCount").GetInt32());

        await alice.Http.PostAsJsonAsync($"/api/galleries/{gallery}/images/{images[2]}/move", new { index = 0 });
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.PutAsync($"/api/galleries/{gallery}/cover/{images[1]}", null)).StatusCode);

        var detail = await alice.Http.GetFromJsonAsync<JsonElement>($"/api/galleries/{gallery}");
        Assert.Equal([images[2], images[0], images[1]], detail.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("imageId").GetGuid()));
        Assert.Equal(images[1], detail.GetProperty("coverImageId").GetGuid());

        // Removing the cover image from the gallery falls back to the first image.
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.DeleteAsync($"/api/galleries/{gallery}/images/{images[1]}")).StatusCode);
        detail = await alice.Http.GetFromJsonAsync<JsonElement>($"/api/galleries/{gallery}");
        Assert.Equal(images[2], detail.GetProperty("coverImageId").GetGuid());

        // A cover must be an image of the gallery.
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Http.PutAsync($"/api/galleries/{gallery}/cover/{images[1]}", null)).StatusCode);
    }

    [Fact]
    public async Task Bad_gallery_fields_get_errors_that_name_the_field()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");

        var empty = await alice.Http.PostAsJsonAsync("/api/galleries", new { name = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var problem = await empty.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("the gallery needs a name", problem.GetProperty("errors").GetProperty("name")[0].GetString());

        var longName = await alice.Http.PostAsJsonAsync("/api/galleries", new { name = new string('x', 201) });
        Assert.Contains("at most 200 characters", await longName.Content.ReadAsStringAsync());
    }

    private static async Task<List<string>> NamesAsync(TestUser user) =>
        (await user.Http.GetFromJsonAsync<JsonElement>("/api/galleries")).EnumerateArray().Select(g => g.GetProperty("name").GetString()!).ToList();
}
