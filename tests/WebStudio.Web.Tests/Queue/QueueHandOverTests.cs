using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Queue;
using WebStudio.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WebStudio.Web.Tests.Queue;

/// <summary>
/// Hand-over on one node: the next job starts as soon as it can, woken by the in-process signal, never by the poll.
/// A job can start once the previous one has ended (its result stored) and it has been submitted; its hand-over is
/// the time from the later of the two to its engine's start: the claim, and a wake-up when the worker had gone idle.
/// The time the device idles (from the previous run's end, so storing its result included) is reported too.
/// </summary>
[Trait("Capability", "ScaleOut")]
public sealed class QueueHandOverTests(ITestOutputHelper output)
{
    private const int Jobs = 100;

    /// <summary>The goal, at p99, on a machine with a core to spare.</summary>
    private const double GoalMs = 20;

    /// <summary>Idle workers poll every 5 s here: a hand-over that missed its wake-up waits that long.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task The_next_job_starts_within_20_ms_of_the_previous_ones_end_at_p99_and_never_waits_for_the_poll()
    {
        using var folder = new TempFolder();
        var engine = new TimedEngine();
        await using var factory = ScriptedStudio.Create(folder, engine, new Dictionary<string, string?>
        {
            ["Queue:Workers"] = "1",
            ["Queue:PollInterval"] = Poll.ToString(),
            ["Queue:MaxQueuedPerUser"] = "100",
            ["Queue:SubmissionsPerMinute"] = "1000",
        });
        await StudioUserClient.RegisterAsync(factory, "alice");
        var queue = factory.Services.GetRequiredService<JobQueue>();
        string owner;
        await using (var db = await LeaseTestData.OpenAsync(factory))
        {
            owner = await db.Users.Select(u => u.Id).SingleAsync();
        }

        // When each job's result was stored: the runner reports the end right after its commit.
        var stored = new ConcurrentDictionary<string, long>();
        var notifier = factory.Services.GetRequiredService<WebStudio.Studio.Previews.JobProgressNotifier>();
        var subscriptions = new List<IDisposable>();
        async Task SubmitAsync(string prompt)
        {
            var outcome = await queue.SubmitAsync(owner, StudioUserClient.Parameters(prompt, steps: 2), null, JobSource.Studio);
            var job = Assert.IsType<GenerationJob>(outcome.Job);
            subscriptions.Add(notifier.SubscribeJob(job.Id, state =>
            {
                if (state.Status == "Succeeded")
                {
                    stored.TryAdd(prompt, Stopwatch.GetTimestamp());
                }

                return Task.CompletedTask;
            }));
        }

        // Warm-up (JIT, the database's first writes), not measured.
        for (var i = 0; i < 3; i++)
        {
            await SubmitAsync($"warm {i}");
            await engine.WaitForEndsAsync(i + 1);
        }

        // Each job is submitted a little after the previous one ends: at once (while its result is stored, so the
        // claim finds it queued, or races with it) or 1 to 8 ms later (the worker has gone idle and must be woken).
        var submittedAt = new Dictionary<string, long>();
        int[] delaysMs = [0, 1, 0, 2, 0, 4, 0, 8];
        for (var k = 0; k < Jobs; k++)
        {
            var prompt = $"job {k}";
            await Task.Delay(delaysMs[k % delaysMs.Length]);
            submittedAt[prompt] = Stopwatch.GetTimestamp();
            await SubmitAsync(prompt);
            await engine.WaitForEndsAsync(3 + k + 1);
        }

        var runs = engine.Runs.ToDictionary(r => r.Prompt);
        List<double> Gaps(Func<string, long> end) => Enumerable.Range(0, Jobs).Select(k =>
        {
            var ready = Math.Max(end(k == 0 ? "warm 2" : $"job {k - 1}"), submittedAt[$"job {k}"]);
            return Math.Max(0, Stopwatch.GetElapsedTime(ready, runs[$"job {k}"].Start).TotalMilliseconds);
        }).Order().ToList();

        var handOvers = Gaps(prompt => stored[prompt]);
        var idle = Gaps(prompt => runs[prompt].End);
        Report("hand-over (previous result stored -> next run starts)", handOvers);
        Report("device idle (previous run's end -> next run starts, storing included)", idle);
        // No hand-over waited for the poll, however busy the machine.
        Assert.True(handOvers[^1] < Poll.TotalMilliseconds / 2, $"a hand-over took {handOvers[^1]:0} ms: it waited for the poll");
        // The goal on a quiet machine. Where other work takes the cores (shared CI runners; 2 cores at a load of 15
        // here), each of the hand-over's few thread hops waits its turn: the goal then grows with twice the run queue
        // per core (the one-minute load average), to at most 25 times (500 ms), still a tenth of the poll.
        var budget = GoalMs * Math.Clamp(2 * LoadPerCore(), 1, 25);
        output.WriteLine($"budget {budget:0} ms (load per core {LoadPerCore():0.0})");
        Assert.True(P99(handOvers) <= budget, $"p99 hand-over {P99(handOvers):0.0} ms over {budget:0} ms (the goal of {GoalMs} ms at a load of {LoadPerCore():0.0} per core)");
    }

    private static double LoadPerCore()
    {
        var loadavg = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "0";
        return double.Parse(loadavg, System.Globalization.CultureInfo.InvariantCulture) / Environment.ProcessorCount;
    }

    private static double P99(List<double> sorted) => sorted[(int)Math.Ceiling(sorted.Count * 0.99) - 1];

    private void Report(string what, List<double> sorted) =>
        output.WriteLine($"{what}, {sorted.Count} jobs: p50 {sorted[sorted.Count / 2]:0.0} ms, p99 {P99(sorted):0.0} ms, max {sorted[^1]:0.0} ms; "
            + string.Join(' ', sorted.Select(h => h.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))));

    /// <summary>The scripted engine (2 ms a step), stamping when each run starts and ends.</summary>
    private sealed class TimedEngine : IGenerationEngine
    {
        private readonly ScriptedEngine _inner = new();
        private readonly SemaphoreSlim _ended = new(0);
        private int _seen;

        public ConcurrentQueue<(string Prompt, long Start, long End)> Runs { get; } = new();

        public int DeviceCount => 1;

        public IReadOnlyList<string> Schedulers => _inner.Schedulers;

        public string DescribeExecutionProvider() => _inner.DescribeExecutionProvider();

        public IReadOnlyList<EngineModel> Models() => _inner.Models();

        public IReadOnlyList<FieldProblem> Validate(DiffusionRun run) => _inner.Validate(run);

        public PromptLength? MeasurePrompt(string model, string prompt, int steps) => null;

        public async Task<IReadOnlyList<EngineImage>> RunAsync(DiffusionRun run, Func<EngineStep, bool> onStep, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            var images = await _inner.RunAsync(run, onStep, cancellationToken);
            Runs.Enqueue((run.Spec.Prompt, start, Stopwatch.GetTimestamp()));
            _ended.Release();
            return images;
        }

        /// <summary>Waits until <paramref name="count"/> runs have ended in all.</summary>
        public async Task WaitForEndsAsync(int count)
        {
            while (_seen < count)
            {
                Assert.True(await _ended.WaitAsync(TimeSpan.FromSeconds(20)), $"run {_seen + 1} did not end");
                _seen++;
            }
        }
    }
}
