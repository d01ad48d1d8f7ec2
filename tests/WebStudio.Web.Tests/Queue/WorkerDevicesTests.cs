using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Workers;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Queue;

/// <summary>Worker:Devices: one worker process runs a loop per listed CUDA device, each with its own engine; on this
/// machine, without CUDA, each device runs on the CPU and the worker's log says so.</summary>
[Trait("Capability", "ScaleOut")]
public sealed class WorkerDevicesTests
{
    // Long enough on a CPU (see WorkerHostTests) that the two jobs overlap.
    private const int Steps = 150;
    private const int Side = 512;
    private const int Batch = 4;

    [Fact]
    public async Task A_worker_with_two_devices_registers_two_loops_that_run_two_jobs_at_the_same_time()
    {
        using var folder = new TempFolder();
        await using var web = StudioHost.Create(new StudioHostOptions { DataFolder = folder.Path, Engine = new ScriptedEngine(), RunJobs = false });
        var alice = await StudioUserClient.RegisterAsync(web, "alice");
        var bob = await StudioUserClient.RegisterAsync(web, "bob");
        var settings = (web.Options with { Mode = StudioHostMode.ChildProcess, Engine = null })
            .With([new("Worker:Devices", "0,1"), new("Queue:LeaseSeconds", "6"), new("Logging:LogLevel:Default", "Information")]);
        await using var worker = await StudioWorker.StartAsync(settings);

        var registry = web.Services.GetRequiredService<WorkerRegistry>();
        var idle = await WaitForAsync(registry, list => list.Count == 2, worker);
        Assert.Contains("2 worker(s)", worker.Log);
        Assert.Contains("Worker device 0: CPU", worker.Log); // its engine made before its loop's first heartbeat
        Assert.Contains("Worker device 1: CPU", worker.Log);
        Assert.Equal(["cpu (device 0)", "cpu (device 1)"], idle.SelectMany(w => w.Devices).Order());
        Assert.Single(idle.Select(w => w.ProcessId).Distinct()); // one process, two worker ids

        var jobs = new[] { (alice, await SubmitLongAsync(alice, "a red circle")), (bob, await SubmitLongAsync(bob, "a blue square")) };

        var busy = await WaitForAsync(registry, list => list.Count(w => w.CurrentJobId is not null) == 2, worker);
        Assert.Equal(jobs.Select(j => j.Item2.Id).Order(), busy.Select(w => w.CurrentJobId!.Value).Order());
        await using (var db = await web.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync())
        {
            var running = await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Running).Select(j => j.WorkerId).ToListAsync();
            Assert.Equal(idle.Select(w => w.Id).Order(), running.Order()); // both at once, one on each loop
        }

        foreach (var (user, job) in jobs)
        {
            var done = await user.WaitForEndAsync(job.Id, TimeSpan.FromSeconds(240));
            Assert.True(done.Status == "Succeeded", $"{done.Status} {done.FailureReason}\n{worker.Log}");
            Assert.Equal(Batch, done.Images.Count);
        }
    }

    private static async Task<IReadOnlyList<WorkerInfo>> WaitForAsync(WorkerRegistry registry, Func<IReadOnlyList<WorkerInfo>, bool> condition, StudioWorker worker)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var list = await registry.ListAsync();
            if (condition(list))
            {
                return list;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the workers never got there: {string.Join("; ", list.Select(w => $"{w.Id} [{string.Join(",", w.Devices)}] {w.CurrentJobId}"))}\n{worker.Log}");
            await Task.Delay(50);
        }
    }

    private static async Task<Endpoints.JobView> SubmitLongAsync(StudioUserClient user, string prompt)
    {
        var parameters = StudioUserClient.Parameters(prompt, Steps, Batch) with { Width = Side, Height = Side };
        var response = await user.Http.PostAsJsonAsync("/api/jobs", parameters);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"submit gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<Endpoints.JobView>())!;
    }
}
