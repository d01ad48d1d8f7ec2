using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Engine;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Previews;
using WebStudio.Web.Tests.Infrastructure;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Options;

namespace WebStudio.Web.Tests;

/// <summary>The studio on the real generation core with the tiny test model.</summary>
public sealed class RealEngineTests(TinyModelFolders model) : IClassFixture<TinyModelFolders>
{
    [Fact]
    public async Task A_job_on_the_tiny_model_streams_previews_and_stores_a_png_with_its_parameters()
    {
        using var folder = new TempFolder();
        using var engine = model.CreateEngine();
        var pace = new WatcherPace();
        var held = new ScriptedEngine(engine) { Pace = pace };
        held.Hold();
        await using var factory = ScriptedStudio.Create(folder, held);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        await using var hub = await alice.ConnectHubAsync();

        var job = await alice.SubmitAsync("a red circle", steps: 12, seed: 5);
        var frames = new List<PreviewFrame>();
        await foreach (var frame in hub.StreamAsync<PreviewFrame>("WatchJob", job.Id).WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token))
        {
            // A watcher only gets frames made after it attached: let the run start once the first frame shows it is on.
            held.Open();
            frames.Add(frame);
            pace.Received();
        }

        var done = await alice.WaitForEndAsync(job.Id, TimeSpan.FromSeconds(60));
        Assert.Equal("Succeeded", done.Status);
        Assert.Equal("Succeeded", frames[^1].Status);
        var pictures = frames.Where(f => f.Png is not null).Select(f => Convert.ToBase64String(f.Png!)).Distinct().Count();
        Assert.True(pictures >= 2, $"only {pictures} different preview pictures in {frames.Count} frames: {string.Join(", ", frames.Select(f => $"{f.Status} {f.Step} {(f.Png is null ? "-" : Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(f.Png))[..6])}"))}");
        using var preview = Image.Load<Rgb24>(frames.Last(f => f.Png is not null).Png!);
        Assert.Equal(8, preview.Width); // latent resolution of a 64×64 image

        var bytes = await alice.Http.GetByteArrayAsync(done.Images[0].Url);
        using var image = Image.Load<Rgb24>(bytes);
        Assert.Equal((64, 64), (image.Width, image.Height));
        Assert.Equal(
            "a red circle\nSteps: 12, Sampler: Euler a, CFG scale: 7, Seed: 5, Size: 64x64, Model: tiny",
            image.Metadata.GetPngMetadata().TextData.Single(t => t.Keyword == "parameters").Value);
    }

    [Fact]
    public void The_real_validator_reports_bad_fields_in_plain_words()
    {
        using var engine = model.CreateEngine();

        var problems = engine.Validate(Run(StudioUserClient.Parameters("x", steps: 151) with { Model = "../tiny", Width = 7, Scheduler = "Nope" }));

        Assert.Contains(problems, p => p is { Field: "model", Message: "there is no model called '../tiny'" });
        Assert.Contains(problems, p => p is { Field: "steps", Message: "steps must be between 1 and 150" });
        Assert.Contains(problems, p => p.Field == "width");
        Assert.Contains(problems, p => p.Field == "scheduler");
        Assert.Empty(engine.Validate(Run(StudioUserClient.Parameters("fine"))));
    }

    [Fact]
    public void The_prompt_counter_counts_the_models_tokens_in_windows_of_75()
    {
        using var engine = model.CreateEngine();
        var tokenizer = WebStudio.Generation.Text.ClipTokenizer.FromFolder(Path.Combine(model.ModelsPath, "tiny", "tokenizer"));
        var words = string.Join(' ', Enumerable.Repeat("red", 80));

        var one = engine.MeasurePrompt("tiny", "a red circle", 20)!;
        var two = engine.MeasurePrompt("tiny", words, 20)!;
        var edited = engine.MeasurePrompt("tiny", $"[a red circle:{words}:0.5]", 20)!;

        Assert.Equal(new PromptLength(tokenizer.EncodeWithoutSpecials("a red circle").Count, 75, false), one);
        Assert.Equal(tokenizer.EncodeWithoutSpecials(words).Count, two.Tokens);
        Assert.True(two.Tokens > 75);
        Assert.Equal(75 * (int)Math.Ceiling(two.Tokens / 75.0), two.Capacity);
        Assert.Equal($"{one.Tokens}/75 tokens", PromptLengthText.Describe(one));
        Assert.Equal("612/600 tokens: the text after token 600 is ignored", PromptLengthText.Describe(new PromptLength(612, 600, true)));
        Assert.Equal(two, edited); // the longest text the edit gives, as A1111 counts
        Assert.Null(engine.MeasurePrompt("no-such-model", "a red circle", 20));
        Assert.Null(engine.MeasurePrompt("../tiny", "a red circle", 20));
    }

    [Fact]
    [Trait("Capability", "Hardening")]
    public void The_prompt_counter_counts_nothing_past_the_prompt_limit_and_answers_at_once()
    {
        using var engine = model.CreateEngine();
        var hostile = new string('(', 30_000); // the attention parser's quadratic shape, as a circuit could send it
        var atLimit = string.Join(' ', Enumerable.Repeat("red", GenerationRequest.MaxPromptLength / 4));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var refused = engine.MeasurePrompt("tiny", hostile, 20);
        clock.Stop();

        Assert.Null(refused);
        Assert.True(clock.ElapsedMilliseconds < 1000, $"{clock.ElapsedMilliseconds} ms");
        Assert.NotNull(engine.MeasurePrompt("tiny", atLimit, 20));
    }

    [Fact]
    [Trait("Capability", "ScaleOut")]
    public async Task The_engine_loads_and_runs_the_graphs_on_compute_threads_and_the_rest_of_the_run_at_the_servers_priority()
    {
        var compute = new ComputeThreads(new GenerationOptions().ComputeNice);
        using var engine = model.CreateEngine(compute);
        var caller = ComputeThreads.CurrentThreadNice();
        var steps = new List<(int? Nice, string? Thread)>();

        var images = await engine.RunAsync(Run(StudioUserClient.Parameters("a red circle", steps: 3) with { Width = 64, Height = 64 }), _ =>
        {
            steps.Add((ComputeThreads.CurrentThreadNice(), Thread.CurrentThread.Name));
            return true;
        }, CancellationToken.None);
        foreach (var image in images)
        {
            image.Dispose();
        }

        // The step callback (previews, a cancel's check, the progress sent) is the server's code: never on a compute thread.
        Assert.Equal(3, steps.Count);
        Assert.All(steps, step => Assert.DoesNotContain("compute", step.Thread ?? ""));
        Assert.Equal(1, compute.Threads); // the loads and the runs, one after another
        if (OperatingSystem.IsLinux())
        {
            Assert.All(steps, step => Assert.Equal(caller, step.Nice));
        }
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task The_job_that_loads_its_model_records_the_load_and_the_next_job_of_the_model_does_not()
    {
        using var folder = new TempFolder();
        using var engine = model.CreateEngine();
        await using var factory = ScriptedStudio.Create(folder, new ScriptedEngine(engine));
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");

        var first = await alice.SubmitAsync("a red circle", steps: 2, seed: 1);
        Assert.Equal("Succeeded", (await alice.WaitForEndAsync(first.Id, TimeSpan.FromSeconds(60))).Status);
        var second = await alice.SubmitAsync("a blue square", steps: 2, seed: 2);
        Assert.Equal("Succeeded", (await alice.WaitForEndAsync(second.Id, TimeSpan.FromSeconds(60))).Status);

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var loads = await db.Jobs.Where(j => j.Id == first.Id || j.Id == second.Id).ToDictionaryAsync(j => j.Id, j => (j.LoadMs, j.TotalMs));
        var (load, total) = loads[first.Id];
        Assert.NotNull(load);
        Assert.InRange(load.Value, 0.001, total!.Value); // part of the run's time
        Assert.Equal(engine.LoadTimeOf("tiny")!.Value.TotalMilliseconds, load.Value, 6);
        Assert.Null(loads[second.Id].LoadMs);

        // History says why the first image took longer.
        var history = await alice.Http.GetStringAsync("/history");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(history, @"\(model load \d+\.\d s\)"));
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public void A_missing_model_with_its_size_left_out_is_refused_for_the_model_alone()
    {
        using var engine = model.CreateEngine();

        var problems = engine.Validate(Run(StudioUserClient.Parameters("x") with { Model = "nope", Width = null, Height = null }));
        Assert.Equal([("model", "there is no model called 'nope'")], problems.Select(p => (p.Field, p.Message)));

        // A size given is still checked.
        problems = engine.Validate(Run(StudioUserClient.Parameters("x") with { Model = "nope", Width = 7, Height = null }));
        Assert.Equal(["model", "width"], problems.Select(p => p.Field));
    }

    private static DiffusionRun Run(JobSpec.Txt2Img spec) => new(spec, spec.Width ?? 0, spec.Height ?? 0);
}
