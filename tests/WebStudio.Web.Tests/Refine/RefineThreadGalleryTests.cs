using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebStudio.Studio.Galleries;
using WebStudio.Studio.Refine;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Tests.Infrastructure;
using static WebStudio.Web.Tests.Refine.RefineThreadTests;

namespace WebStudio.Web.Tests.Refine;

/// <summary>A Refine thread in a gallery and on its share page, its turns in order (issue 22).</summary>
[Trait("Capability", "InstructEdit")]
public sealed class RefineThreadGalleryTests(TinyModelFolders models) : IClassFixture<TinyModelFolders>
{
    [Fact]
    public async Task A_thread_added_to_a_gallery_shows_its_turns_in_order_there_and_on_the_share_page()
    {
        using var folder = new TempFolder();
        using var engine = models.CreateEngineWithEditModel();
        await using var factory = ScriptedStudio.Create(folder, engine);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");

        // Three turns: a first picture, an edit of it, and a branch from the first picture.
        var thread = await StartAsync(alice, new RefineTurnRequest { Instruction = "a red circle", Model = TinyModelFolders.ModelName, Steps = 2, Seed = 2 });
        var root = await FinishedAsync(alice, thread.Turns[0]);
        thread = await ContinueAsync(alice, thread.Id, new RefineTurnRequest { Instruction = "make it blue", Steps = 2, AutoMask = 0.5f });
        var blue = await FinishedAsync(alice, thread.Turns[1]);
        thread = await ContinueAsync(alice, thread.Id, new RefineTurnRequest { Instruction = "make it green", ParentTurnId = root.Id, Steps = 2 });
        var green = await FinishedAsync(alice, thread.Turns[2]);

        var gallery = await CreateGalleryAsync(alice, "Conversations");
        using (var added = await alice.Http.PutAsync($"/api/galleries/{gallery}/threads/{thread.Id}", null))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        using (var again = await alice.Http.PutAsync($"/api/galleries/{gallery}/threads/{thread.Id}", null))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        // Bob can place Alice's thread nowhere, and cannot touch her gallery.
        var bobs = await CreateGalleryAsync(bob, "Mine");
        using (var stolen = await bob.Http.PutAsync($"/api/galleries/{bobs}/threads/{thread.Id}", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);
        }

        using (var intruded = await bob.Http.DeleteAsync($"/api/galleries/{gallery}/threads/{thread.Id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, intruded.StatusCode);
        }

        var details = (await alice.Http.GetFromJsonAsync<GalleryDetails>($"/api/galleries/{gallery}"))!;
        var placed = Assert.Single(details.Threads);
        Assert.Equal("a red circle", placed.Title);
        Assert.Equal(["a red circle", "make it blue", "make it green"], placed.Turns.Select(t => t.Instruction));
        Assert.Equal([null, 1, 1], placed.Turns.Select(t => t.ParentNumber));
        Assert.Equal([null, 0.5f, null], placed.Turns.Select(t => t.AutoMask));
        Assert.Equal([root.ImageId!.Value, blue.ImageId!.Value, green.ImageId!.Value], placed.Turns.Select(t => t.ImageId));
        Assert.Equal(green.ImageId, details.CoverImageId); // a gallery of threads alone shows its first thread's last turn

        // The public page: the turns in the order they were made, each picture served through the link.
        var link = await ShareAsync(alice, gallery, hidePrompts: false);
        using var anonymous = factory.Client(null);
        var page = await anonymous.GetStringAsync(link);
        var order = new[] { "a red circle", "make it blue", "make it green" }.Select(text => page.IndexOf(text, StringComparison.Ordinal)).ToList();
        Assert.All(order, at => Assert.True(at >= 0, "a turn is missing from the share page"));
        Assert.Equal(order.Order(), order);
        Assert.Contains("from turn 1", page);
        Assert.Contains("auto mask 0.5", page);
        using (var picture = await anonymous.GetAsync($"{link}/images/{green.ImageId}"))
        {
            Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
        }

        // Prompts hidden: the pictures stay, the instructions go.
        var hidden = await anonymous.GetStringAsync(await ShareAsync(alice, gallery, hidePrompts: true));
        Assert.DoesNotContain("make it blue", hidden);
        Assert.Contains($"/images/{blue.ImageId}", hidden);

        // Removed from the gallery, the thread and its pictures leave the page; the thread itself stays.
        using (var removed = await alice.Http.DeleteAsync($"/api/galleries/{gallery}/threads/{thread.Id}"))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        }

        Assert.DoesNotContain("make it blue", await anonymous.GetStringAsync(link));
        using (var gone = await anonymous.GetAsync($"{link}/images/{green.ImageId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        Assert.Equal(3, (await alice.Http.GetFromJsonAsync<RefineThreadView>($"/api/refine/threads/{thread.Id}"))!.Turns.Count);
    }

    private static async Task<Guid> CreateGalleryAsync(StudioUserClient user, string name)
    {
        using var response = await user.Http.PostAsJsonAsync("/api/galleries", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<GallerySummary>())!.Id;
    }

    private static async Task<string> ShareAsync(StudioUserClient user, Guid gallery, bool hidePrompts)
    {
        using var response = await user.Http.PostAsJsonAsync($"/api/galleries/{gallery}/shares", new { label = "thread", hidePrompts });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new Uri(body.RootElement.GetProperty("url").GetString()!).PathAndQuery;
    }
}
