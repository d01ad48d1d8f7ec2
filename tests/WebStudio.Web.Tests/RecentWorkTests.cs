using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Editing;
using WebStudio.Studio.History;
using WebStudio.Web.Tests.Editing;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests;

/// <summary>What the Generate and Edit pages open with, read for one user only.</summary>
[Trait("Capability", "StudioCore")]
public sealed class RecentWorkTests
{
    [Fact]
    public async Task The_running_job_comes_before_a_queued_or_a_finished_one_and_nothing_crosses_users()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var recent = factory.Services.GetRequiredService<RecentWork>();
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");
        var finished = await alice.SubmitAsync("finished first", seed: 11);
        await alice.WaitForEndAsync(finished.Id);
        var aliceId = (await factory.StoredJobAsync(finished.Id)).OwnerId;
        var image = (await factory.StoredJobAsync(finished.Id)).Images.Single();

        Assert.Equal(finished.Id, (await recent.CurrentJobAsync(aliceId))?.Id);
        Assert.Single((await recent.CurrentJobAsync(aliceId))!.Images);

        factory.Scripted.Hold();
        var running = await alice.SubmitAsync("running", seed: 12);
        await alice.WaitForAsync(running.Id, j => j.Status == "Running");
        var queued = await alice.SubmitAsync("queued", seed: 13);
        var bobs = await bob.SubmitAsync("bob's", seed: 14);
        var bobId = (await factory.StoredJobAsync(bobs.Id)).OwnerId;

        Assert.Equal(running.Id, (await recent.CurrentJobAsync(aliceId))?.Id);
        Assert.Equal(13, await recent.LastSeedAsync(aliceId));
        Assert.Equal(14, await recent.LastSeedAsync(bobId));
        Assert.Null(await recent.LastSeedAsync("nobody"));
        Assert.Null(await recent.CurrentJobAsync("nobody"));
        Assert.Equal([image.Id], (await recent.LatestImagesAsync(aliceId, 48)).Select(i => i.Id));
        Assert.Empty(await recent.LatestImagesAsync(bobId, 48));
        Assert.Equal(finished.Id, (await recent.FindImageWithJobAsync(aliceId, image.Id))?.Job?.Id);
        Assert.Null(await recent.FindImageWithJobAsync(bobId, image.Id));
        factory.Scripted.Open();

        await alice.WaitForEndAsync(queued.Id);
        await bob.WaitForEndAsync(bobs.Id);
        Assert.Equal(queued.Id, (await recent.CurrentJobAsync(aliceId))?.Id);
    }

    [Fact]
    public async Task Generate_reattaches_to_the_latest_text_to_image_job_and_its_seed_not_to_a_later_edit()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var recent = factory.Services.GetRequiredService<RecentWork>();
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var generated = await alice.SubmitAsync("a red circle", seed: 21);
        await alice.WaitForEndAsync(generated.Id);
        var aliceId = (await factory.StoredJobAsync(generated.Id)).OwnerId;
        using var picture = EditClient.Picture(32, 32);
        var upload = await alice.UploadAsync(picture);

        var upscale = await alice.EditAsync(new EditRequest { Operation = EditOperation.Upscale, Source = upload.Source, Seed = 22 });
        Assert.Equal("Succeeded", (await alice.WaitForEndAsync(upscale.Id)).Status);

        Assert.Equal(JobKind.Upscale, (await factory.StoredJobAsync(upscale.Id)).Kind);
        Assert.Equal(generated.Id, (await recent.CurrentJobAsync(aliceId))?.Id);
        Assert.Equal(21, await recent.LastSeedAsync(aliceId));
    }
}
