using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Queue;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Queue;

/// <summary>Two worker processes (`dotnet WebStudio.Worker.dll`) on one SQLite database, the tiny model on the real
/// engine (CPU); the one running the job is killed with SIGKILL mid-job. Both run on this machine, alive, so the job
/// comes back through its lease, not through start-up recovery.</summary>
[Trait("Capability", "ScaleOut")]
public sealed class LeasesKillTests
{
    // As WorkerHostTests: long enough on a CPU that the kill lands mid-job, past the model's load.
    private const int Steps = 150;
    private const int Side = 512;
    private const int Batch = 4;

    [Fact]
    public async Task A_worker_killed_mid_job_loses_its_lease_and_another_worker_runs_the_job_to_one_set_of_images()
    {
        using var folder = new TempFolder();
        TinyStableDiffusion.Write(Path.Combine(folder.Path, "models", "tiny"), TinyModelVariant.DiffusersScript);
        await using var web = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:RunJobs"] = "false" });
        var alice = await StudioUserClient.RegisterAsync(web, "alice"); // the web app creates the database
        var workers = web.Options with
        {
            Mode = StudioHostMode.ChildProcess,
            Engine = null,
            Settings = new Dictionary<string, string?>(web.Options.Settings)
            {
                ["Queue:LeaseSeconds"] = "2",
                ["Logging:LogLevel:Default"] = "Information",
            },
        };
        await using var a = await StudioWorker.StartAsync(workers);
        await using var b = await StudioWorker.StartAsync(workers);

        var response = await alice.Http.PostAsJsonAsync("/api/jobs", StudioUserClient.Parameters("killed mid-job", Steps, Batch) with { Width = Side, Height = Side });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<Endpoints.JobView>())!.Id;

        // Mid-job: its steps under way (the worker has stored a preview for the follower the test plays: a worker
        // writes frames only of jobs followed from another process).
        string firstWorker;
        await using (var db = await LeaseTestData.OpenAsync(web))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (!await db.Jobs.AnyAsync(j => j.Id == id && j.Status == JobStatus.Running))
            {
                Assert.True(DateTime.UtcNow < deadline, $"no worker claimed the job\n{a.Log}\n{b.Log}");
                await Task.Delay(20);
            }

            await JobPreviewFollows.MarkAsync(db, [id], DateTime.UtcNow, CancellationToken.None); // as a view does: once it runs
            while (!await db.JobPreviews.AnyAsync(p => p.JobId == id && p.Step > 0))
            {
                Assert.True(DateTime.UtcNow < deadline, $"no worker stored a preview of the job\n{a.Log}\n{b.Log}");
                await Task.Delay(20);
            }

            firstWorker = (await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id)).WorkerId!;
        }

        var (victim, survivor) = ProcessOf(firstWorker) == a.Process.ProcessId ? (a, b) : (b, a);
        Assert.Equal(victim.Process.ProcessId, ProcessOf(firstWorker));
        await victim.KillAsync();

        var done = await alice.WaitForEndAsync(id, TimeSpan.FromSeconds(120));
        Assert.True(done.Status == "Succeeded", $"{done.Status} {done.FailureReason}\n{survivor.Log}");
        await using var check = await LeaseTestData.OpenAsync(web);
        var job = await check.Jobs.Include(j => j.Images).AsNoTracking().SingleAsync(j => j.Id == id);
        Assert.Equal(2, job.Attempts);
        Assert.Equal(2, job.ClaimToken);
        Assert.Equal(survivor.Process.ProcessId, ProcessOf(job.WorkerId!));
        Assert.Equal(Batch, job.Images.Count);
        Assert.Equal(job.Images.Select(i => i.FileName).Order(StringComparer.Ordinal), LeaseTestData.ImageFiles(web));
        Assert.Contains("Leases ran out: 1 job(s) queued again", survivor.Log);

        await check.Database.OpenConnectionAsync();
        await using var command = check.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", (string?)await command.ExecuteScalarAsync());
    }

    // Worker ids are "{machine}/{process id}/{instance}#{loop}".
    private static int ProcessOf(string workerId) => int.Parse(workerId.Split('/')[1], CultureInfo.InvariantCulture);
}
