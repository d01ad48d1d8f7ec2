using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Generation.Models;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Workers;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Queue;

/// <summary>Each worker loop writes its row in the Workers table on its heartbeat; the registry lists them, and the
/// administrator's Workers page shows them.</summary>
[Trait("Capability", "ScaleOut")]
public sealed class WorkerRegistryTests
{
    [Fact]
    public async Task Each_worker_writes_its_devices_models_current_job_and_jobs_done_on_its_heartbeat()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: LeaseTestData.ShortLease(("Queue:Workers", "2"), ("Generation:UseCuda", "false")));
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var registry = factory.Services.GetRequiredService<WorkerRegistry>();

        var idle = await WaitForAsync(registry, list => list.Count == 2);
        Assert.All(idle, w =>
        {
            Assert.Equal(Environment.MachineName, w.HostName);
            Assert.Equal(Environment.ProcessId, w.ProcessId);
            Assert.Equal(["cpu"], w.Devices);
            Assert.Equal(["tiny"], w.Models);
            Assert.Empty(w.LoadedModels);
            Assert.Null(w.CurrentJobId);
            Assert.Equal(0, w.JobsDone);
            Assert.True(w.Responding);
        });

        factory.Scripted.Hold();
        var job = await alice.SubmitAsync("watched");
        var busy = (await WaitForAsync(registry, list => list.Any(w => w.CurrentJobId == job.Id))).Single(w => w.CurrentJobId == job.Id);
        factory.Scripted.Open();
        await alice.WaitForEndAsync(job.Id);
        var after = (await WaitForAsync(registry, list => list.Any(w => w.Id == busy.Id && w.JobsDone == 1))).Single(w => w.Id == busy.Id);

        Assert.Null(after.CurrentJobId);
        Assert.Equal(["tiny"], after.LoadedModels);
        Assert.True(after.LastHeartbeatAt > busy.LastHeartbeatAt);
        Assert.Equal(busy.StartedAt, after.StartedAt);
        await using var db = await LeaseTestData.OpenAsync(factory);
        Assert.Equal(busy.Id, (await db.Jobs.SingleAsync(j => j.Id == job.Id)).WorkerId); // the row is the claim's worker
    }

    // A worker beats every third of a lease (10 s by default; 100 s here, so that no beat falls inside the test): the
    // job it runs is listed at once, from its claim, not at the next beat, when a job of a few seconds has long ended.
    [Fact]
    public async Task The_list_shows_the_job_a_worker_runs_as_soon_as_it_claims_it_not_at_its_next_heartbeat()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Generation:UseCuda"] = "false", ["Queue:LeaseSeconds"] = "300" });
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var registry = factory.Services.GetRequiredService<WorkerRegistry>();
        var idle = (await WaitForAsync(registry, list => list.Count == 1)).Single();

        factory.Scripted.Hold();
        var job = await alice.SubmitAsync("watched");
        await alice.WaitForAsync(job.Id, j => j.Status == "Running");
        var busy = (await registry.ListAsync()).Single();
        factory.Scripted.Open();
        await alice.WaitForEndAsync(job.Id);
        var after = (await registry.ListAsync()).Single();

        Assert.Null(idle.CurrentJobId);
        Assert.Equal(job.Id, busy.CurrentJobId);
        Assert.Equal(idle.LastHeartbeatAt, busy.LastHeartbeatAt); // no beat in between: the claim told it
        Assert.Null(after.CurrentJobId);
    }

    // Before, a worker that had not loaded a model yet said "cuda:0" here, where CUDA cannot run: only a failed
    // session told it otherwise. Now it says what the CUDA provider's check says, on a GPU machine and off one.
    [Fact]
    public async Task With_cuda_configured_a_worker_that_has_loaded_no_model_names_the_device_that_can_run()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: LeaseTestData.ShortLease(("Generation:UseCuda", "true")));
        await StudioUserClient.RegisterAsync(factory, "alice");

        var worker = (await WaitForAsync(factory.Services.GetRequiredService<WorkerRegistry>(), list => list.Count == 1)).Single();

        Assert.Empty(worker.LoadedModels);
        Assert.Equal([ExecutionProviders.CheckCuda(0) is null ? "cuda:0" : "cpu"], worker.Devices);
    }

    [Fact]
    public async Task A_worker_that_stops_cleanly_leaves_the_list_and_a_silent_one_shows_as_not_responding()
    {
        using var folder = new TempFolder();
        await using var web = ScriptedStudio.Create(folder, settings: LeaseTestData.ShortLease(("Queue:RunJobs", "false")));
        await StudioUserClient.RegisterAsync(web, "alice");
        var registry = web.Services.GetRequiredService<WorkerRegistry>();
        await using (var db = await LeaseTestData.OpenAsync(web))
        {
            db.Workers.Add(new WorkerRecord { Id = "elsewhere/7/silent#0", HostName = "elsewhere", StartedAt = DateTime.UtcNow.AddHours(-1), LastHeartbeatAt = DateTime.UtcNow.AddMinutes(-1) });
            await db.SaveChangesAsync();
        }

        var worker = await StudioWorker.StartAsync(web.Options with { Engine = new ScriptedEngine() });
        var both = await WaitForAsync(registry, list => list.Count == 2);
        Assert.False(both.Single(w => w.HostName == "elsewhere").Responding);
        Assert.True(both.Single(w => w.HostName != "elsewhere").Responding);

        await worker.DisposeAsync();

        Assert.Equal(["elsewhere/7/silent#0"], (await registry.ListAsync()).Select(w => w.Id));
    }

    [Fact]
    public async Task The_administrators_workers_page_lists_each_worker_and_no_one_else_sees_it()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: LeaseTestData.ShortLease(("Generation:UseCuda", "false")));
        var admin = await StudioUserClient.RegisterAsync(factory, "admin");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");
        var worker = (await WaitForAsync(factory.Services.GetRequiredService<WorkerRegistry>(), list => list.Count == 1)).Single();

        var page = await admin.Http.GetAsync("/admin/workers");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"data-worker-id=\"{worker.Id}\"", html);
        Assert.Contains($"{Environment.MachineName} (process {Environment.ProcessId})", html);
        Assert.Contains("<td>cpu</td>", html);

        var refused = await bob.Http.GetAsync("/admin/workers");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.DoesNotContain(worker.Id, await refused.Content.ReadAsStringAsync());
    }

    private static async Task<IReadOnlyList<WorkerInfo>> WaitForAsync(WorkerRegistry registry, Func<IReadOnlyList<WorkerInfo>, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var list = await registry.ListAsync();
            if (condition(list))
            {
                return list;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the registry never got there: {string.Join("; ", list)}");
            await Task.Delay(50);
        }
    }
}
