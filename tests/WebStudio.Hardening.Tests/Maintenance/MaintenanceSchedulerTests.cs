using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WebStudio.Studio.Maintenance;

namespace WebStudio.Hardening.Tests.Maintenance;

/// <summary>The sweeps share one scheduler: each keeps its own interval, and one that fails never stops the others.</summary>
[Trait("Capability", "StudioUx")]
public sealed class MaintenanceSchedulerTests
{
    private sealed class CountingTask(TimeSpan interval, bool fails = false) : IMaintenanceTask
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public TimeSpan Interval => interval;

        public Task RunAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            return fails ? throw new IOException("a locked file") : Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Each_task_runs_at_start_up_and_then_on_its_own_interval_and_a_failing_one_stops_nothing()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
        var deleted = new CountingTask(TimeSpan.FromSeconds(30));
        var hourly = new CountingTask(TimeSpan.FromHours(1));
        var broken = new CountingTask(TimeSpan.FromMinutes(1), fails: true);
        using var scheduler = new MaintenanceScheduler([deleted, hourly, broken], clock, NullLogger<MaintenanceScheduler>.Instance);

        await scheduler.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => deleted.Runs == 1 && hourly.Runs == 1 && broken.Runs == 1);

        // Five minutes in 10-second ticks: the 30-second sweep runs ten more times, the broken one five, the hourly none.
        for (var tick = 0; tick < 30; tick++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            var expected = 1 + ((tick + 1) / 3);
            await WaitUntilAsync(() => deleted.Runs == expected);
        }

        await WaitUntilAsync(() => broken.Runs == 6);
        Assert.Equal(11, deleted.Runs);
        Assert.Equal(1, hourly.Runs);

        clock.Advance(TimeSpan.FromMinutes(55));
        await WaitUntilAsync(() => hourly.Runs == 2);
        await scheduler.StopAsync(CancellationToken.None);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the scheduler did not run the task in time");
            await Task.Delay(10);
        }
    }
}
