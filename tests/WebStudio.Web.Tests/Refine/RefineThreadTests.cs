using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Net.Http.Json;
using WebStudio.Data;
using WebStudio.Studio.Galleries;
using WebStudio.Studio.Refine;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Tests.Editing;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Refine;

/// <summary>Refine conversations over /api/refine (issue 22): turns with their parents, branches, undo, and
/// another user's thread answering as a missing one.</summary>
[Trait("Capability", "InstructEdit")]
public sealed class RefineThreadTests(TinyModelFolders models) : IClassFixture<TinyModelFolders>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_thread_starts_from_a_prompt_and_each_turn_edits_its_parents_result()
    {
        using var folder = new TempFolder();
        using var engine = models.CreateEngineWithEditModel();
        await using var factory = ScriptedStudio.Create(folder, engine);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");

        var thread = await StartAsync(alice, new RefineTurnRequest { Instruction = "a red circle", Model = TinyModelFolders.ModelName, Steps = 3, Seed = 2 });
        var first = await FinishedAsync(alice, thread.Turns[0]);
        thread = await ContinueAsync(alice, thread.Id, new RefineTurnRequest { Instruction = "make the circle blue", Steps = 3, Seed = 4, ImageGuidance = 1.25f });
        var second = thread.Turns[1];
        await alice.WaitForEndAsync(second.JobId, Patience);
        thread = (await alice.Http.GetFromJsonAsync<RefineThreadView>($"/api/refine/threads/{thread.Id}"))!;

        Assert.Equal("a red circle", thread.Title);
        Assert.Equal([JobKind.Txt2Img, JobKind.InstructEdit], thread.Turns.Select(t => t.Kind));
        var edit = thread.Turns[1];
        Assert.Equal((first.Id, first.ImageId, "make the circle blue", TinyModelFolders.EditModelName, 1.25f, 7.5f),
            (edit.ParentId, edit.InputImageId, edit.Instruction, edit.Model, edit.ImageGuidance, edit.TextGuidance));
        Assert.Equal("Succeeded", edit.Status);
        Assert.NotNull(edit.ImageUrl);
        var listed = Assert.Single((await alice.Http.GetFromJsonAsync<List<RefineThreadSummary>>("/api/refine/threads"))!);
        Assert.Equal((thread.Id, 2, edit.ImageId), (listed.Id, listed.Turns, listed.LatestImageId));
    }

    [Fact]
    public async Task Continuing_from_an_earlier_turn_makes_a_branch_and_undo_hides_only_the_end_of_a_branch()
    {
        using var folder = new TempFolder();
        using var engine = models.CreateEngineWithEditModel();
        await using var factory = ScriptedStudio.Create(folder, engine);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var thread = await StartAsync(alice, new RefineTurnRequest { Instruction = "a red circle", Model = TinyModelFolders.ModelName, Steps = 2, Seed = 2 });
        var root = await FinishedAsync(alice, thread.Turns[0]);
        thread = await ContinueAsync(alice, thread.Id, new RefineTurnRequest { Instruction = "make it blue", Steps = 2 });
        await FinishedAsync(alice, thread.Turns[1]);

        thread = await ContinueAsync(alice, thread.Id, new RefineTurnRequest { Instruction = "make it green", ParentTurnId = root.Id, Steps = 2 });
        var (blue, green) = (thread.Turns[1], thread.Turns[2]);
        Assert.Equal((root.Id, root.Id), (blue.ParentId, green.ParentId));
        Assert.Equal([1, 2, 3], thread.Turns.Select(t => t.Number));
        await FinishedAsync(alice, green);

        using var rootUndo = await alice.Http.PostAsync($"/api/refine/threads/{thread.Id}/turns/{root.Id}/undo", null);
        Assert.Equal(HttpStatusCode.Conflict, rootUndo.StatusCode);
        using var greenUndo = await alice.Http.PostAsync($"/api/refine/threads/{thread.Id}/turns/{green.Id}/undo", null);
        Assert.Equal(HttpStatusCode.OK, greenUndo.StatusCode);
        thread = (await greenUndo.Content.ReadFromJsonAsync<RefineThreadView>())!;
        Assert.Equal([root.Id, blue.Id], thread.Turns.Select(t => t.Id));

        // The undone turn's picture stays in History: nothing stored is lost.
        Assert.Contains(green.JobId.ToString(), await alice.Http.GetStringAsync("/api/history"));
    }

    [Fact]
    public async Task Another_users_thread_answers_as_a_missing_one()
    {
        using var folder = new TempFolder();
        using var engine = models.CreateEngineWithEditModel();
        await using var factory = ScriptedStudio.Create(folder, engine);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");
        var thread = await StartAsync(alice, new RefineTurnRequest { Instruction = "a red circle", Model = TinyModelFolders.ModelName, Steps = 2 });
        var turn = await FinishedAsync(alice, thread.Turns[0]);

        using var read = await bob.Http.GetAsync($"/api/refine/threads/{thread.Id}");
        using var continued = await bob.Http.PostAsJsonAsync($"/api/refine/threads/{thread.Id}/turns", new RefineTurnRequest { Instruction = "make it blue", ParentTurnId = turn.Id });
        using var undone = await bob.Http.PostAsync($"/api/refine/threads/{thread.Id}/turns/{turn.Id}/undo", null);
        using var missing = await alice.Http.GetAsync($"/api/refine/threads/{Guid.NewGuid()}");

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound],
            [read.StatusCode, continued.StatusCode, undone.StatusCode, missing.StatusCode]);
        Assert.Empty((await bob.Http.GetFromJsonAsync<List<RefineThreadSummary>>("/api/refine/threads"))!);
    }

    [Fact]
    public async Task A_thread_starts_from_a_history_image_with_an_instruction()
    {
        using var folder = new TempFolder();
        using var engine = models.CreateEngineWithEditModel();
        await using var factory = ScriptedStudio.Create(folder, engine);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var made = await alice.WaitForEndAsync((await alice.SubmitAsync("a red circle", steps: 2)).Id, Patience);

        var thread = await StartAsync(alice, new RefineTurnRequest { Instruction = "add a star", SourceImageId = made.Images[0].Id, Steps = 2 });

        var turn = Assert.Single(thread.Turns);
        Assert.Equal((JobKind.InstructEdit, made.Images[0].Id, made.Images[0].Id, (Guid?)null), (turn.Kind, turn.SourceImageId, turn.InputImageId, turn.ParentId));
        Assert.Equal("Succeeded", (await alice.WaitForEndAsync(turn.JobId, Patience)).Status);
    }

    [Fact]
    public async Task Refine_and_the_edit_page_say_so_before_an_edit_of_a_picture_far_from_the_models_size()
    {
        using var folder = new TempFolder();
        using var engine = models.CreateEngineWithEditModel();
        await using var factory = ScriptedStudio.Create(folder, engine);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var native = engine.Models().Single(m => m.Name == TinyModelFolders.EditModelName);
        var (near, far) = (await PictureAsync(alice, native.NativeWidth), await PictureAsync(alice, native.NativeWidth * 4));

        Assert.DoesNotContain("id=\"refine-far-size\"", await alice.Http.GetStringAsync($"/refine?image={near}"), StringComparison.Ordinal);
        var page = await alice.Http.GetStringAsync($"/refine?image={far}");
        Assert.Contains("id=\"refine-far-size\"", page, StringComparison.Ordinal);
        var side = native.NativeWidth;
        Assert.Contains($"This picture is {side * 4}&#xD7;{side * 4}, 4 times the side of the {side}&#xD7;{side} pictures &#x27;{TinyModelFolders.EditModelName}&#x27; was made for", page, StringComparison.Ordinal);

        // The Edit page's restyle, on the text model of the same size, says it too.
        Assert.Equal(side, engine.Models().Single(m => m.Name == TinyModelFolders.ModelName).NativeWidth);
        Assert.DoesNotContain("id=\"edit-far-size\"", await alice.Http.GetStringAsync($"/edit?image={near}"), StringComparison.Ordinal);
        Assert.Contains($"4 times the side of the {side}&#xD7;{side} pictures &#x27;{TinyModelFolders.ModelName}&#x27; was made for",
            await alice.Http.GetStringAsync($"/edit?image={far}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_thread_whose_every_turn_was_deleted_from_history_leaves_the_list_and_comes_back_with_them()
    {
        using var folder = new TempFolder();
        using var engine = models.CreateEngineWithEditModel();
        await using var factory = ScriptedStudio.Create(folder, engine);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var thread = await StartAsync(alice, new RefineTurnRequest { Instruction = "a red circle", Steps = 2, Seed = 2 });
        var turn = await FinishedAsync(alice, thread.Turns[0]);
        using var made = await alice.Http.PostAsJsonAsync("/api/galleries", new { name = "Conversations" });
        var gallery = (await made.Content.ReadFromJsonAsync<GallerySummary>())!.Id;
        using (var added = await alice.Http.PutAsync($"/api/galleries/{gallery}/threads/{thread.Id}", null))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        using (var deleted = await alice.Http.DeleteAsync($"/api/history/{turn.JobId}"))
        {
            Assert.True(deleted.IsSuccessStatusCode, $"delete gave {(int)deleted.StatusCode}");
        }

        Assert.Empty((await alice.Http.GetFromJsonAsync<List<RefineThreadSummary>>("/api/refine/threads"))!);
        Assert.Contains("Every turn of this thread was deleted from History or undone", await alice.Http.GetStringAsync($"/refine?thread={thread.Id}"), StringComparison.Ordinal);
        Assert.Empty((await alice.Http.GetFromJsonAsync<GalleryDetails>($"/api/galleries/{gallery}"))!.Threads);

        // Undone from History within its window: the thread is back.
        using (var restored = await alice.Http.PostAsync($"/api/history/{turn.JobId}/restore", null))
        {
            Assert.True(restored.IsSuccessStatusCode, $"restore gave {(int)restored.StatusCode}");
        }

        Assert.Equal([(thread.Id, 1)], (await alice.Http.GetFromJsonAsync<List<RefineThreadSummary>>("/api/refine/threads"))!.Select(t => (t.Id, t.Turns)));
        Assert.Single((await alice.Http.GetFromJsonAsync<GalleryDetails>($"/api/galleries/{gallery}"))!.Threads);
    }

    [Fact]
    public async Task A_thread_from_a_history_picture_leaves_its_galleries_with_its_last_turn_though_the_picture_stays()
    {
        using var folder = new TempFolder();
        using var engine = models.CreateEngineWithEditModel();
        await using var factory = ScriptedStudio.Create(folder, engine);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var picture = await alice.WaitForEndAsync((await alice.SubmitAsync("a red circle", steps: 2)).Id, Patience);
        var thread = await StartAsync(alice, new RefineTurnRequest { Instruction = "add a star", SourceImageId = picture.Images[0].Id, Steps = 2, Seed = 3 });
        var turn = await FinishedAsync(alice, thread.Turns[0]);
        using var made = await alice.Http.PostAsJsonAsync("/api/galleries", new { name = "Conversations" });
        var gallery = (await made.Content.ReadFromJsonAsync<GallerySummary>())!.Id;
        using (var added = await alice.Http.PutAsync($"/api/galleries/{gallery}/threads/{thread.Id}", null))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        var placed = Assert.Single((await alice.Http.GetFromJsonAsync<GalleryDetails>($"/api/galleries/{gallery}"))!.Threads);
        Assert.Equal((picture.Images[0].Id, 1), (placed.Start?.ImageId, placed.Turns.Count));

        using (var deleted = await alice.Http.DeleteAsync($"/api/history/{turn.JobId}"))
        {
            Assert.True(deleted.IsSuccessStatusCode, $"delete gave {(int)deleted.StatusCode}");
        }

        Assert.Empty((await alice.Http.GetFromJsonAsync<List<RefineThreadSummary>>("/api/refine/threads"))!);
        Assert.Empty((await alice.Http.GetFromJsonAsync<GalleryDetails>($"/api/galleries/{gallery}"))!.Threads);
        Assert.Equal("Succeeded", (await alice.WaitForEndAsync(picture.Id, Patience)).Status); // the picture it began from stays
    }

    [Fact]
    public async Task Deleting_a_thread_deletes_its_turns_from_history_undoably_and_waits_for_a_turn_being_made()
    {
        using var folder = new TempFolder();
        using var engine = models.CreateEngineWithEditModel();
        await using var factory = ScriptedStudio.Create(folder, engine);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");
        var thread = await StartAsync(alice, new RefineTurnRequest { Instruction = "a red circle", Steps = 2, Seed = 2 });
        var first = await FinishedAsync(alice, thread.Turns[0]);
        thread = await ContinueAsync(alice, thread.Id, new RefineTurnRequest { Instruction = "make it blue", Steps = 2 });
        var second = await FinishedAsync(alice, thread.Turns[1]);

        // Someone else's thread answers as a missing one; a turn still being made holds the deletion back.
        using (var intruded = await bob.Http.DeleteAsync($"/api/refine/threads/{thread.Id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, intruded.StatusCode);
        }

        await SetStatusAsync(factory, second.JobId, JobStatus.Queued);
        using (var held = await alice.Http.DeleteAsync($"/api/refine/threads/{thread.Id}"))
        {
            Assert.Equal(HttpStatusCode.Conflict, held.StatusCode);
            Assert.Contains("a turn is still being made", await held.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await SetStatusAsync(factory, second.JobId, JobStatus.Succeeded);
        using var deleted = await alice.Http.DeleteAsync($"/api/refine/threads/{thread.Id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var deletion = (await deleted.Content.ReadFromJsonAsync<ThreadDeletion>())!;
        Assert.Equal(new[] { first.JobId, second.JobId }.Order(), deletion.DeletedJobs.Order());
        Assert.Empty((await alice.Http.GetFromJsonAsync<List<RefineThreadSummary>>("/api/refine/threads"))!);
        using (var gone = await alice.Http.GetAsync($"/api/history/{first.JobId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        foreach (var job in deletion.DeletedJobs)
        {
            using var restored = await alice.Http.PostAsync($"/api/history/{job}/restore", null);
            Assert.True(restored.IsSuccessStatusCode, $"restore gave {(int)restored.StatusCode}");
        }

        Assert.Equal(2, (await alice.Http.GetFromJsonAsync<RefineThreadView>($"/api/refine/threads/{thread.Id}"))!.Turns.Count);
    }

    private static async Task SetStatusAsync(StudioHost factory, Guid job, JobStatus status)
    {
        await using var db = await WebStudio.Web.Tests.Queue.LeaseTestData.OpenAsync(factory);
        await db.Jobs.Where(j => j.Id == job).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, status));
    }

    /// <summary>A History picture of the tiny model, <paramref name="side"/> pixels square.</summary>
    private static async Task<Guid> PictureAsync(StudioUserClient user, int side)
    {
        using var response = await user.Http.PostAsJsonAsync("/api/jobs", StudioUserClient.Parameters("a red circle", steps: 1) with { Width = side, Height = side });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var job = (await response.Content.ReadFromJsonAsync<WebStudio.Web.Endpoints.JobView>())!;
        var done = await user.WaitForEndAsync(job.Id, Patience);
        Assert.Equal("Succeeded", done.Status);
        return done.Images[0].Id;
    }

    internal static async Task<RefineThreadView> StartAsync(StudioUserClient user, RefineTurnRequest request)
    {
        using var response = await user.Http.PostAsJsonAsync("/api/refine/threads", request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"start gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<RefineThreadView>())!;
    }

    internal static async Task<RefineThreadView> ContinueAsync(StudioUserClient user, Guid thread, RefineTurnRequest request)
    {
        using var response = await user.Http.PostAsJsonAsync($"/api/refine/threads/{thread}/turns", request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"continue gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<RefineThreadView>())!;
    }

    /// <summary>The turn once its job has succeeded, with its result image.</summary>
    internal static async Task<RefineTurnView> FinishedAsync(StudioUserClient user, RefineTurnView turn)
    {
        var done = await user.WaitForEndAsync(turn.JobId, Patience);
        Assert.Equal("Succeeded", done.Status);
        return turn with { ImageId = done.Images[0].Id };
    }
}
