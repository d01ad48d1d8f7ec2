using WebStudio.Studio.Execution;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Previews;

/// <summary>
/// The worker loops' runs and stores hold pool threads for their whole length; a studio that runs jobs raises the
/// pool's minimum by them, so that preview sends and requests never wait for the pool to grow (the first preview's
/// latency at watchers, issue 20).
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed class PoolThreadsForRunsTests
{
    [Fact]
    public async Task A_studio_that_runs_jobs_keeps_pool_threads_for_its_loops_beside_one_per_core()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Queue:Workers"] = "6" });
        var alice = await StudioUserClient.RegisterAsync(factory, "alice"); // the host has started its loops

        var job = await alice.SubmitAsync("a job", steps: 2);
        Assert.Equal("Succeeded", (await alice.WaitForEndAsync(job.Id)).Status);

        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.True(workers >= Environment.ProcessorCount + (6 * PoolThreadsForRuns.PerLoop), $"the pool's minimum is {workers} threads");
    }

    [Fact]
    public void Reserving_never_lowers_the_minimum_so_hosts_in_one_process_do_not_add_up()
    {
        PoolThreadsForRuns.Reserve(4);
        ThreadPool.GetMinThreads(out var afterFour, out _);

        PoolThreadsForRuns.Reserve(1);
        PoolThreadsForRuns.Reserve(4);
        ThreadPool.GetMinThreads(out var after, out _);

        Assert.True(afterFour >= Environment.ProcessorCount + (4 * PoolThreadsForRuns.PerLoop));
        Assert.Equal(afterFour, after);
    }
}
