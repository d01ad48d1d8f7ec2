using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Plots;
using WebStudio.Studio.Queue;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Plots;

/// <summary>The Generate form's X/Y plot through the queue: a job per cell, on one seed unless an axis varies it.</summary>
[Trait("Capability", "StudioCore")]
public sealed class XyPlotSubmissionTests
{
    [Fact]
    public async Task A_plot_queues_a_job_per_cell_row_by_row_on_one_drawn_seed()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        factory.Scripted.Hold();
        await StudioUserClient.RegisterAsync(factory, "alice");
        var alice = await OwnerAsync(factory);

        var (outcome, axes) = await factory.Services.GetRequiredService<XyPlotSubmission>().SubmitAsync(alice,
            StudioUserClient.Parameters("a red circle", seed: -1), new XyPlotRequest(PlotAxisKind.Steps, "2, 4", PlotAxisKind.Sampler, "Euler a, DDIM"), JobSource.Studio);
        var (byModel, _) = await factory.Services.GetRequiredService<XyPlotSubmission>().SubmitAsync(alice,
            StudioUserClient.Parameters("a red circle") with { Model = "" }, new XyPlotRequest(PlotAxisKind.Model, "TINY"), JobSource.Studio);
        factory.Scripted.Open();

        Assert.Equal(SubmitRefusal.None, outcome.Refusal);
        Assert.Equal((2, 2), (axes!.Columns, axes.Rows));
        var specs = outcome.Jobs.Select(j => Assert.IsType<JobSpec.Txt2Img>(JobSpecJson.Read(j))).ToList();
        Assert.Equal(["2 Euler a", "4 Euler a", "2 DDIM", "4 DDIM"], specs.Select(s => $"{s.Steps} {s.Scheduler}"));
        Assert.Single(specs.Select(s => s.Seed).Distinct());
        Assert.NotEqual(-1, specs[0].Seed);
        // A Model axis names the engine's models as they are written.
        Assert.Equal("tiny", Assert.IsType<JobSpec.Txt2Img>(JobSpecJson.Read(Assert.Single(byModel.Jobs))).Model);
    }

    [Fact]
    public async Task A_seed_axis_runs_each_seed_and_draws_each_minus_one_on_its_own()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        await StudioUserClient.RegisterAsync(factory, "alice");
        var alice = await OwnerAsync(factory);

        var (outcome, _) = await factory.Services.GetRequiredService<XyPlotSubmission>().SubmitAsync(alice,
            StudioUserClient.Parameters("a red circle", seed: 9), new XyPlotRequest(PlotAxisKind.Seed, "100, -1, -1"), JobSource.Studio);

        var seeds = outcome.Jobs.Select(j => j.Seed).ToList();
        Assert.Equal(100, seeds[0]);
        Assert.DoesNotContain(-1L, seeds);
        Assert.Equal(3, seeds.Distinct().Count());
    }

    [Fact]
    public async Task A_variation_strength_axis_without_a_variation_seed_departs_towards_one_drawn_for_every_cell()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        await StudioUserClient.RegisterAsync(factory, "alice");
        var alice = await OwnerAsync(factory);

        var (outcome, _) = await factory.Services.GetRequiredService<XyPlotSubmission>().SubmitAsync(alice,
            StudioUserClient.Parameters("a red circle", seed: 9), new XyPlotRequest(PlotAxisKind.VariationStrength, "0.1, 0.5, 0.9"), JobSource.Studio);

        var specs = outcome.Jobs.Select(j => Assert.IsType<JobSpec.Txt2Img>(JobSpecJson.Read(j))).ToList();
        Assert.Equal([0.1f, 0.5f, 0.9f], specs.Select(s => s.VariationStrength));
        var drawn = Assert.Single(specs.Select(s => s.VariationSeed).Distinct());
        Assert.True(drawn >= 0, $"a variation seed is drawn, not {drawn}");
    }

    [Fact]
    public async Task A_plot_that_cannot_be_made_or_does_not_fit_queues_nothing_and_says_why()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:MaxQueuedPerUser"] = "3" });
        factory.Scripted.Hold();
        await StudioUserClient.RegisterAsync(factory, "alice");
        var alice = await OwnerAsync(factory);
        var plots = factory.Services.GetRequiredService<XyPlotSubmission>();

        var (choices, _) = await plots.SubmitAsync(alice, StudioUserClient.Parameters("a {red|blue} circle"), new XyPlotRequest(PlotAxisKind.Steps, "2, 4"), JobSource.Studio);
        var (unknownSampler, _) = await plots.SubmitAsync(alice, StudioUserClient.Parameters("a circle"), new XyPlotRequest(PlotAxisKind.Sampler, "Euler a, Heun"), JobSource.Studio);
        var (tooMany, _) = await plots.SubmitAsync(alice, StudioUserClient.Parameters("a circle"), new XyPlotRequest(PlotAxisKind.Steps, "2, 4", PlotAxisKind.Guidance, "3, 7"), JobSource.Studio);
        factory.Scripted.Open();

        Assert.StartsWith("an X/Y plot takes a prompt without {…|…} choices", Assert.Single(choices.Problems).Message);
        Assert.Equal(("x", SubmitRefusal.Invalid), (Assert.Single(unknownSampler.Problems).Field, unknownSampler.Refusal));
        Assert.Equal(SubmitRefusal.QueueFull, tooMany.Refusal);
        Assert.Equal("these are 4 jobs, and your queue has room for 3 (3 jobs per user: the queued-jobs quota)", Assert.Single(tooMany.Problems).Message);
        await using var db = factory.OpenDatabase();
        Assert.Equal(0, await db.Jobs.CountAsync());
    }

    private static async Task<string> OwnerAsync(StudioHost factory)
    {
        await using var db = factory.OpenDatabase();
        return await db.Users.Select(u => u.Id).SingleAsync();
    }
}
