using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Prompts;
using WebStudio.Studio.Queue;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Prompts;

/// <summary>The Generate form's submission of a dynamic prompt: a job per combination on one seed, taking turns with
/// other users' jobs, all of them or none.</summary>
[Trait("Capability", "StudioCore")]
public sealed class DynamicPromptSubmissionTests
{
    [Fact]
    public async Task A_prompt_with_choices_queues_a_job_per_combination_on_one_seed_in_successive_rounds()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        factory.Scripted.Hold();
        await StudioUserClient.RegisterAsync(factory, "alice");
        var submission = factory.Services.GetRequiredService<DynamicPromptSubmission>();
        var alice = await StudioUserClient.IdOfAsync(factory, "alice");

        var outcome = await submission.SubmitAsync(alice, StudioUserClient.Parameters("a {red|blue} {circle|star}", seed: -1) with { NegativePrompt = "{blurry|}" }, JobSource.Studio);
        factory.Scripted.Open();

        Assert.Equal(SubmitRefusal.None, outcome.Refusal);
        Assert.Equal(8, outcome.Jobs.Count);
        Assert.Same(outcome.Jobs[0], outcome.Job);
        await using var db = factory.OpenDatabase();
        var stored = (await db.Jobs.AsNoTracking().ToListAsync()).OrderBy(j => j.Round).ToList();
        Assert.Equal(outcome.Jobs.Select(j => j.Id), stored.Select(j => j.Id));
        Assert.Equal(
            ["a red circle|blurry", "a red circle|", "a red star|blurry", "a red star|", "a blue circle|blurry", "a blue circle|", "a blue star|blurry", "a blue star|"],
            stored.Select(j => JobSpecJson.Read(j) is JobSpec.Txt2Img t ? $"{t.Prompt}|{t.NegativePrompt}" : ""));
        Assert.Single(stored.Select(j => j.Seed).Distinct());
        Assert.NotEqual(-1, stored[0].Seed);
        Assert.Equal(Enumerable.Range((int)stored[0].Round, 8).Select(r => (long)r), stored.Select(j => j.Round));
        // History lists them newest first: in the order they were queued, not by chance.
        Assert.True(stored.Zip(stored.Skip(1)).All(pair => pair.First.CreatedAt < pair.Second.CreatedAt));
    }

    [Fact]
    public async Task Another_users_jobs_take_turns_with_them_as_with_separate_submissions()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        factory.Scripted.Hold();
        var aliceClient = await StudioUserClient.RegisterAsync(factory, "alice");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");
        var blocker = await aliceClient.SubmitAsync("running first", steps: 10);
        await aliceClient.WaitForAsync(blocker.Id, j => j.Status == "Running");
        var alice = await StudioUserClient.IdOfAsync(factory, "alice");

        await factory.Services.GetRequiredService<DynamicPromptSubmission>()
            .SubmitAsync(alice, StudioUserClient.Parameters("{one|two|three|four}"), JobSource.Studio);
        var bobs = await bob.SubmitAsync("bob's first");
        await bob.SubmitAsync("bob's second");

        var view = await factory.Services.GetRequiredService<QueueSnapshot>().GetAsync("admin-view", isAdmin: true);
        factory.Scripted.Open();
        var waiting = view.Entries.Where(e => e.Status == JobStatus.Queued).OrderBy(e => e.Position).ToList();
        // Alice was served (her running job), Bob not yet: his first goes ahead, then the two take turns.
        Assert.Equal(["bob's first", "one", "bob's second", "two", "three", "four"], waiting.Select(e => e.Prompt));
        Assert.Equal(bobs.Id, waiting[0].JobId);
    }

    [Fact]
    public async Task Jobs_beyond_the_users_queue_room_are_refused_all_together_and_nothing_is_queued()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:MaxQueuedPerUser"] = "3" });
        factory.Scripted.Hold();
        await StudioUserClient.RegisterAsync(factory, "alice");
        var alice = await StudioUserClient.IdOfAsync(factory, "alice");
        var submission = factory.Services.GetRequiredService<DynamicPromptSubmission>();

        var tooMany = await submission.SubmitAsync(alice, StudioUserClient.Parameters("a {red|blue} {circle|star}"), JobSource.Studio);
        var broken = await submission.SubmitAsync(alice, StudioUserClient.Parameters("a {red|blue circle"), JobSource.Studio);
        var fits = await submission.SubmitAsync(alice, StudioUserClient.Parameters("a {red|blue} circle"), JobSource.Studio);
        factory.Scripted.Open();

        Assert.Equal(SubmitRefusal.QueueFull, tooMany.Refusal);
        Assert.Equal("these are 4 jobs, and your queue has room for 3 (3 jobs per user: the queued-jobs quota)", Assert.Single(tooMany.Problems).Message);
        Assert.Empty(tooMany.Jobs);
        Assert.Equal(SubmitRefusal.Invalid, broken.Refusal);
        Assert.Equal("the prompt: the { at character 3 has no closing }", Assert.Single(broken.Problems).Message);
        Assert.Equal(2, fits.Jobs.Count);
        await using var db = factory.OpenDatabase();
        Assert.Equal(2, await db.Jobs.CountAsync());
    }

    [Fact]
    public async Task Jobs_pass_the_submissions_per_minute_only_where_the_minute_has_room_for_all_of_them()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:SubmissionsPerMinute"] = "5" });
        var aliceClient = await StudioUserClient.RegisterAsync(factory, "alice");
        var alice = await StudioUserClient.IdOfAsync(factory, "alice");
        var submission = factory.Services.GetRequiredService<DynamicPromptSubmission>();

        var overTheLimit = await submission.SubmitAsync(alice, StudioUserClient.Parameters("{1|2|3|4|5|6}"), JobSource.Studio);
        for (var i = 0; i < 3; i++)
        {
            await aliceClient.SubmitAsync($"single {i}");
        }

        var three = await submission.SubmitAsync(alice, StudioUserClient.Parameters("{a|b|c}"), JobSource.Studio);
        var two = await submission.SubmitAsync(alice, StudioUserClient.Parameters("{a|b}"), JobSource.Studio);

        Assert.Equal(SubmitRefusal.Invalid, overTheLimit.Refusal);
        Assert.Equal("these are 6 jobs, and at most 5 can be submitted a minute: the submissions-per-minute quota", Assert.Single(overTheLimit.Problems).Message);
        Assert.Equal(SubmitRefusal.RateLimited, three.Refusal);
        Assert.NotNull(three.RetryAfter);
        Assert.Equal(2, two.Jobs.Count);
    }

    [Fact]
    public async Task One_combination_the_engine_refuses_names_itself_and_none_of_the_others_is_queued()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        await StudioUserClient.RegisterAsync(factory, "alice");
        var alice = await StudioUserClient.IdOfAsync(factory, "alice");
        var longWord = new string('x', 1999); // with " b", one past the limit

        var outcome = await factory.Services.GetRequiredService<DynamicPromptSubmission>()
            .SubmitAsync(alice, StudioUserClient.Parameters($"{{a|{longWord}}} {{b|c}}"), JobSource.Studio);

        Assert.Equal(SubmitRefusal.Invalid, outcome.Refusal);
        var problem = Assert.Single(outcome.Problems);
        Assert.Equal("prompt", problem.Field);
        Assert.Contains("(job 3 of 4: \"xxxx", problem.Message);
        await using var db = factory.OpenDatabase();
        Assert.Equal(0, await db.Jobs.CountAsync());
    }

    [Fact]
    public async Task A_prompt_without_a_choice_queues_its_one_job_as_written()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        await StudioUserClient.RegisterAsync(factory, "alice");
        var alice = await StudioUserClient.IdOfAsync(factory, "alice");

        var outcome = await factory.Services.GetRequiredService<DynamicPromptSubmission>()
            .SubmitAsync(alice, StudioUserClient.Parameters("{prompt} a {big} circle \\{red|blue\\}"), JobSource.Studio);

        var job = Assert.Single(outcome.Jobs);
        Assert.Equal("{prompt} a {big} circle \\{red|blue\\}", Assert.IsType<JobSpec.Txt2Img>(JobSpecJson.Read(job)).Prompt);
    }

    [Fact]
    public async Task A_random_draw_queues_the_combinations_its_seed_draws_a_random_seed_drawn_first()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        await StudioUserClient.RegisterAsync(factory, "alice");
        var alice = await StudioUserClient.IdOfAsync(factory, "alice");
        var submission = factory.Services.GetRequiredService<DynamicPromptSubmission>();
        const string template = "a {red|blue|green|grey|white} {circle|star|square|ring|cross}";

        var seeded = await submission.SubmitAsync(alice, StudioUserClient.Parameters(template, seed: 7), JobSource.Studio, randomPrompts: 3);
        var unseeded = await submission.SubmitAsync(alice, StudioUserClient.Parameters(template, seed: -1), JobSource.Studio, randomPrompts: 4);
        var refused = await submission.SubmitAsync(alice, StudioUserClient.Parameters(template), JobSource.Studio, randomPrompts: 101);

        Assert.Equal(DynamicPrompts.Draw(template, "", 3, seed: 7).Pairs.Select(p => p.Prompt), PromptsOf(seeded));
        Assert.All(seeded.Jobs, job => Assert.Equal(7, job.Seed));
        var seed = Assert.Single(unseeded.Jobs.Select(j => j.Seed).Distinct());
        Assert.NotEqual(-1, seed);
        Assert.Equal(DynamicPrompts.Draw(template, "", 4, seed).Pairs.Select(p => p.Prompt), PromptsOf(unseeded));
        Assert.Equal(SubmitRefusal.Invalid, refused.Refusal);
        Assert.Equal("randomPrompts", Assert.Single(refused.Problems).Field);
    }

    [Fact]
    public async Task Wildcards_from_the_configured_folder_queue_a_job_per_line_and_a_missing_one_queues_nothing()
    {
        using var folder = new TempFolder();
        using var wildcards = new TempFolder();
        File.WriteAllLines(wildcards.Combine("colors.txt"), ["# colours", "red", "blue", "green"]);
        File.WriteAllLines(wildcards.Combine("grey.txt"), ["grey"]);
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Studio:WildcardsPath"] = wildcards.Path });
        await StudioUserClient.RegisterAsync(factory, "alice");
        var alice = await StudioUserClient.IdOfAsync(factory, "alice");
        var submission = factory.Services.GetRequiredService<DynamicPromptSubmission>();

        var queued = await submission.SubmitAsync(alice, StudioUserClient.Parameters("a __colors__ circle"), JobSource.Studio);
        var missing = await submission.SubmitAsync(alice, StudioUserClient.Parameters("a __shapes__"), JobSource.Studio);
        // One combination is one job, of the text it makes, not of the template.
        var one = await submission.SubmitAsync(alice, StudioUserClient.Parameters("a __grey__ {2$$star}"), JobSource.Studio);

        Assert.Equal(["a red circle", "a blue circle", "a green circle"], PromptsOf(queued));
        Assert.Equal(SubmitRefusal.Invalid, missing.Refusal);
        Assert.Equal("the prompt: there is no wildcard __shapes__ (at character 3); there are __colors__, __grey__", Assert.Single(missing.Problems).Message);
        Assert.Equal(["a grey star"], PromptsOf(one));
        await using var db = factory.OpenDatabase();
        Assert.Equal(4, await db.Jobs.CountAsync());
    }

    private static IEnumerable<string> PromptsOf(SubmitOutcome outcome) =>
        outcome.Jobs.Select(job => Assert.IsType<JobSpec.Txt2Img>(JobSpecJson.Read(job)).Prompt);
}
