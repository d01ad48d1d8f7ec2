using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Prompts;
using WebStudio.Studio.Queue;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Queue;

/// <summary>A run read again (the Generate page's strip after a reload): the jobs still there that the user may see,
/// in the run's order.</summary>
[Trait("Capability", "StudioCore")]
public sealed class JobAccessRunTests
{
    [Fact]
    public async Task A_run_is_read_again_in_its_order_without_deleted_jobs_or_another_users()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        await StudioUserClient.RegisterAsync(factory, "alice");
        await StudioUserClient.RegisterAsync(factory, "bob");
        var (alice, bob) = (await StudioUserClient.IdOfAsync(factory, "alice"), await StudioUserClient.IdOfAsync(factory, "bob"));
        var submission = factory.Services.GetRequiredService<DynamicPromptSubmission>();
        var run = (await submission.SubmitAsync(alice, StudioUserClient.Parameters("a {red|blue|green} circle"), JobSource.Studio)).Jobs;
        var bobs = Assert.Single((await submission.SubmitAsync(bob, StudioUserClient.Parameters("a star"), JobSource.Studio)).Jobs);
        await using (var db = factory.OpenDatabase())
        {
            await db.Jobs.Where(j => j.Id == run[1].Id).ExecuteDeleteAsync();
        }

        var access = factory.Services.GetRequiredService<JobAccess>();
        var asked = new[] { run[2].Id, run[1].Id, bobs.Id, run[0].Id, Guid.NewGuid() };

        var read = await access.FindJobsAsync(asked, User(alice));

        Assert.Equal([run[2].Id, run[0].Id], read.Select(j => j.Id));
        Assert.Empty(await access.FindJobsAsync(asked, new ClaimsPrincipal(new ClaimsIdentity())));
    }

    private static ClaimsPrincipal User(string id) => new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id)], "Test"));
}
