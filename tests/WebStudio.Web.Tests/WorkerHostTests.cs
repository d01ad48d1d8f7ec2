using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Studio.Queue;
using WebStudio.Studio;
using WebStudio.Studio.Options;
using WebStudio.Studio.Previews;
using WebStudio.Web.Tests.Infrastructure;
using WebStudio.Worker;

namespace WebStudio.Web.Tests;

/// <summary>The web studio with <c>Queue:RunJobs=false</c> beside the worker host as a real process (`dotnet
/// WebStudio.Worker.dll`) on the same database, images and the tiny model on the real engine (CPU).</summary>
[Trait("Capability", "StudioCore")]
public sealed class WorkerHostTests
{
    // A 150-step batch of 4 on the tiny model at 512×512 runs for seconds on a CPU (at 256×256 alone it could end
    // within one of the relay's 250 ms ticks), so several ticks carry its previews over, and a SIGTERM lands mid-job.
    private const int Steps = 150;
    private const int Side = 512;
    private const int Batch = 4;

    [Fact]
    public async Task A_job_submitted_on_the_web_side_runs_in_the_worker_process_and_the_browser_gets_its_previews_and_image()
    {
        using var folder = new TempFolder();
        await using var web = WebWithoutWorkers(folder);
        var alice = await StudioUserClient.RegisterAsync(web, "alice"); // the web app creates the database
        await using var worker = await StudioWorker.StartAsync(WorkerOptions(web));
        Assert.Contains("1 worker(s), execution provider CPU", worker.Log);

        var job = await SubmitLongAsync(alice, "a red circle");
        await using var hub = await alice.ConnectHubAsync();
        var frames = new List<PreviewFrame>();
        await foreach (var frame in hub.StreamAsync<PreviewFrame>("WatchJob", job.Id).WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token))
        {
            frames.Add(frame);
        }

        Assert.Equal("Succeeded", frames[^1].Status);
        var steps = frames.Where(f => f.Png is not null).Select(f => f.Step).Distinct().ToList();
        Assert.True(steps.Count >= 2, $"only {steps.Count} distinct preview steps crossed over ({string.Join(", ", frames.Select(f => $"{f.Status} {f.Step}"))})\n{worker.Log}");
        Assert.Equal(steps.Order(), steps);
        Assert.All(frames.Where(f => f.Png is not null), f => Assert.Equal(((byte)0xFF, (byte)0xD8, (string?)"image/jpeg"), (f.Png![0], f.Png[1], f.Type))); // JPEG, encoded once per frame

        var done = await alice.WaitForEndAsync(job.Id);
        Assert.Equal(Batch, done.Images.Count);
        foreach (var image in done.Images)
        {
            using var response = await alice.Http.GetAsync(image.Url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var decoded = SixLabors.ImageSharp.Image.Load(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal((Side, Side), (decoded.Width, decoded.Height));
        }

        Assert.Empty(((ScriptedEngine)web.Engine).Started); // the web side ran nothing
    }

    [Fact]
    public async Task A_worker_stopped_with_SIGTERM_mid_job_puts_the_job_back_and_a_restarted_worker_finishes_it()
    {
        using var folder = new TempFolder();
        await using var web = WebWithoutWorkers(folder);
        var alice = await StudioUserClient.RegisterAsync(web, "alice");
        var settings = WorkerOptions(web);
        var job = await SubmitLongAsync(alice, "interrupted");

        string firstLog;
        await using (var first = await StudioWorker.StartAsync(settings))
        {
            // Mid-job: past the model's load, its steps under way (the worker has stored a preview).
            await WaitForPreviewAsync(web, job.Id);
            var terminated = System.Diagnostics.Stopwatch.StartNew();
            first.Terminate();
            Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(30)), $"the worker did not stop after SIGTERM:\n{first.Log}");
            firstLog = $"(exited {terminated.Elapsed.TotalSeconds:F1} s after SIGTERM)\n{first.Log}";
            Assert.True(first.ExitCode == 0, $"exit code {first.ExitCode}:\n{firstLog}");
        }

        // Back in the queue, its attempt not counted, no images.
        await using (var db = await web.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync())
        {
            var stopped = await db.Jobs.Include(j => j.Images).SingleAsync(j => j.Id == job.Id);
            Assert.True(stopped.Status == JobStatus.Queued, $"{stopped.Status} after the worker stopped:\n{firstLog}");
            Assert.Equal(0, stopped.Attempts);
            Assert.Empty(stopped.Images);
        }

        await using var second = await StudioWorker.StartAsync(settings);
        var done = await alice.WaitForEndAsync(job.Id, TimeSpan.FromSeconds(120));
        Assert.True(done.Status == "Succeeded", $"{done.Status} {done.FailureReason}\n{second.Log}");
        Assert.Equal(1, done.Attempts);
        Assert.Equal(Batch, done.Images.Count);
    }

    [Fact]
    public async Task A_shutdown_that_lands_just_after_a_claim_took_the_job_still_hands_the_job_to_its_runner()
    {
        using var folder = new TempFolder();
        await using var web = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:RunJobs"] = "false" });
        var alice = await StudioUserClient.RegisterAsync(web, "alice");
        var job = await alice.SubmitAsync("claimed at shutdown");
        using var stopping = new CancellationTokenSource();
        var builder = WorkerHost.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(web.StudioSettings);
        builder.Services.ConfigureDbContext<StudioDbContext>(options => options.AddInterceptors(new StopAfterClaim(stopping)));
        using var host = builder.Build(); // not started: the test claims by hand

        var claimed = await host.Services.GetRequiredService<WebStudio.Studio.Queue.JobQueue>().ClaimNextAsync("test/1", stopping.Token);

        Assert.True(stopping.IsCancellationRequested, "the stop did not land after the claim");
        Assert.Equal(job.Id, claimed?.Id); // not an OperationCanceledException that leaves the job Running, owned by no one
        Assert.Equal(JobStatus.Running, claimed!.Status);
    }

    // Cancels the worker's token as soon as the UPDATE that claims a job (it sets its WorkerId) has committed.
    private sealed class StopAfterClaim(CancellationTokenSource stopping) : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public override ValueTask<int> NonQueryExecutedAsync(System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            if (result == 1 && command.CommandText.StartsWith("UPDATE", StringComparison.Ordinal) && command.CommandText.Contains("\"WorkerId\"", StringComparison.Ordinal))
            {
                stopping.Cancel();
            }

            return ValueTask.FromResult(result);
        }
    }

    private static async Task WaitForPreviewAsync(StudioHost web, Guid jobId)
    {
        // The test plays a follower in another process: a worker writes frames only of jobs followed from elsewhere.
        await using var db = await web.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await db.Jobs.AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Running))
        {
            Assert.True(DateTime.UtcNow < deadline, "the worker did not claim the job");
            await Task.Delay(20);
        }

        await JobPreviewFollows.MarkAsync(db, [jobId], DateTime.UtcNow, CancellationToken.None); // as a view does: once it runs
        while (!await db.JobPreviews.AnyAsync(p => p.JobId == jobId && p.Step > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "the worker stored no preview of the job");
            await Task.Delay(20);
        }
    }

    [Fact]
    public void The_worker_reads_the_studio_settings_file_and_the_command_line_and_runs_jobs_even_when_told_not_to()
    {
        var builder = WorkerHost.CreateBuilder(["--Studio:DatabasePath=/tmp/elsewhere/studio.db", "--Queue:RunJobs=false"]);
        using var host = builder.Build();

        // From the command line, over the settings file.
        Assert.Equal("/tmp/elsewhere/studio.db", host.Services.GetRequiredService<IOptions<StudioOptions>>().Value.DatabasePath);
        Assert.True(host.Services.GetRequiredService<IOptions<QueueOptions>>().Value.RunJobs);
        // From the repository root's appsettings.json, the one the web app reads (the build copies it beside both).
        var file = new ConfigurationBuilder().AddJsonFile(StudioConfiguration.SettingsPath).Build();
        Assert.Equal(file["Generation:DefaultModel"], host.Services.GetRequiredService<IOptions<GenerationOptions>>().Value.DefaultModel);
        Assert.Equal(TimeSpan.FromSeconds(file.GetValue<int>("ShutdownTimeoutSeconds")), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public void The_worker_assembly_references_no_ASP_NET_Core_assembly_of_its_own()
    {
        var references = typeof(WorkerHost).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("WebStudio.Studio", references);
        Assert.Contains("Microsoft.Extensions.Hosting", references);
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    // The tiny model goes in the models folder both sides read; the web side's scripted engine runs nothing.
    private static StudioHost WebWithoutWorkers(TempFolder folder) => StudioHost.Create(new StudioHostOptions
    {
        DataFolder = folder.Path,
        Engine = new ScriptedEngine(),
        RunJobs = false,
    });

    // The worker as a child process on the web side's own settings: its Queue:RunJobs=false stays in, since the worker ignores it.
    private static StudioHostOptions WorkerOptions(StudioHost web) => (web.Options with { Mode = StudioHostMode.ChildProcess, Engine = null })
        .With([new("Logging:LogLevel:Default", "Information")]);

    private static async Task<Endpoints.JobView> SubmitLongAsync(StudioUserClient user, string prompt)
    {
        var parameters = StudioUserClient.Parameters(prompt, Steps, Batch) with { Width = Side, Height = Side };
        var response = await user.Http.PostAsJsonAsync("/api/jobs", parameters);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"submit gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<Endpoints.JobView>())!;
    }
}
