using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Editing;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Queue;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Editing;

/// <summary>The Edit page's prompt takes {…|…} choices and wildcards as Generate's does: a job per prompt, on the same
/// pixels and one seed; the HTTP API takes an edit's prompt as written, as it takes a job's.</summary>
[Trait("Capability", "StudioCore")]
public sealed class DynamicEditPromptTests
{
    [Fact]
    public async Task A_restyle_with_choices_queues_a_job_per_prompt_on_the_same_source_and_one_seed()
    {
        await using var studio = await EditStudio.StartAsync();
        var alice = await SignedInAsync(studio, "alice");
        var request = EditJobTests.Request(EditOperation.Restyle, studio.Source) with { Prompt = "a {red|blue} circle", NegativePrompt = "{blurry|}", Seed = -1 };

        var outcome = await Edits(studio).SubmitAsync(alice, request, dynamicPrompts: true);

        Assert.Equal(SubmitRefusal.None, outcome.Refusal);
        Assert.Equal(4, outcome.Jobs.Count);
        var specs = new List<JobSpec.Img2Img>();
        foreach (var job in outcome.Jobs)
        {
            Assert.Equal("Succeeded", (await studio.Alice.WaitForEndAsync(job.Id)).Status);
            specs.Add(Assert.IsType<JobSpec.Img2Img>(JobSpecJson.Read(await studio.StoredJobAsync(job.Id))));
        }

        Assert.Equal(["a red circle|blurry", "a red circle|", "a blue circle|blurry", "a blue circle|"], specs.Select(s => $"{s.Prompt}|{s.NegativePrompt}"));
        Assert.Single(specs.Select(s => s.Seed).Distinct());
        Assert.NotEqual(-1, specs[0].Seed);
        Assert.All(specs, s => Assert.Equal((studio.Source, 0.75f), (s.Source, s.Strength)));
    }

    [Fact]
    public async Task A_prompt_without_choices_is_queued_as_written_and_a_broken_choice_is_refused_naming_the_prompt()
    {
        await using var studio = await EditStudio.StartAsync();
        var alice = await SignedInAsync(studio, "alice");
        var request = EditJobTests.Request(EditOperation.Restyle, studio.Source);

        var broken = await Edits(studio).SubmitAsync(alice, request with { Prompt = "a {red|blue circle" }, dynamicPrompts: true);
        var plain = await Edits(studio).SubmitAsync(alice, request with { Prompt = "a red circle" }, dynamicPrompts: true);

        Assert.Equal(SubmitRefusal.Invalid, broken.Refusal);
        Assert.Equal("prompt", Assert.Single(broken.Problems).Field);
        Assert.Contains("has no closing }", broken.Problems[0].Message);
        Assert.Equal("a red circle", Assert.IsType<JobSpec.Img2Img>(JobSpecJson.Read(await studio.StoredJobAsync(Assert.Single(plain.Jobs).Id))).Prompt);
    }

    [Fact]
    public async Task Too_many_combinations_are_refused_without_offering_a_draw_the_Edit_page_lacks()
    {
        await using var studio = await EditStudio.StartAsync();
        var alice = await SignedInAsync(studio, "alice");
        const string choices = "{a|b|c|d|e|f|g|h|i|j|k}";

        var outcome = await Edits(studio).SubmitAsync(alice, EditJobTests.Request(EditOperation.Restyle, studio.Source) with { Prompt = $"{choices} {choices}" },
            dynamicPrompts: true);

        Assert.Equal(SubmitRefusal.Invalid, outcome.Refusal);
        Assert.Equal("the choices make 121 prompts, and at most 100 can be queued at once: take out some choices", Assert.Single(outcome.Problems).Message);
        await using var db = studio.Factory.OpenDatabase();
        Assert.Equal(0, await db.Jobs.CountAsync());
    }

    [Fact]
    public async Task The_HTTP_API_queues_an_edits_prompt_as_written()
    {
        await using var studio = await EditStudio.StartAsync();

        var job = await studio.Alice.EditAsync(EditJobTests.Request(EditOperation.Restyle, studio.Source) with { Prompt = "a {red|blue} circle" });

        Assert.Equal("a {red|blue} circle", Assert.IsType<JobSpec.Img2Img>(JobSpecJson.Read(await studio.StoredJobAsync(job.Id))).Prompt);
        await using var db = studio.Factory.OpenDatabase();
        Assert.Equal(1, await db.Jobs.CountAsync());
    }

    private static EditSubmission Edits(EditStudio studio) => studio.Factory.Services.GetRequiredService<EditSubmission>();

    private static async Task<ClaimsPrincipal> SignedInAsync(EditStudio studio, string name) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, await StudioUserClient.IdOfAsync(studio.Factory, name))], "Test"));
}
