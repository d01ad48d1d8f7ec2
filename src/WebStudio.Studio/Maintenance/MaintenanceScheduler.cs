namespace WebStudio.Studio.Maintenance;

/// <summary>One periodic chore of the <see cref="MaintenanceScheduler"/>.</summary>
public interface IMaintenanceTask
{
    /// <summary>How long after one run the next is due.</summary>
    TimeSpan Interval { get; }

    /// <summary>Does the chore once; it handles what it can retry next time, the scheduler logs anything else.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The studio's periodic upkeep on one timer (instead of a timer service per sweep): every registered
/// <see cref="IMaintenanceTask"/> runs at start-up and then every <see cref="IMaintenanceTask.Interval"/> of its own
/// (deleted generations every 30 s, uploads and orphaned image files hourly), one at a time. A task that fails is
/// logged and runs again at its next turn; it never stops the others.
/// </summary>
public sealed class MaintenanceScheduler(IEnumerable<IMaintenanceTask> tasks, TimeProvider time, ILogger<MaintenanceScheduler> logger)
    : BackgroundService
{
    /// <summary>How often the scheduler looks for due tasks. One timer made at start, rather than a delay made after
    /// each round: a delay is measured from when it is made, so a clock that moved on meanwhile would push it late.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // off the host's start-up path
        var start = time.GetUtcNow();
        var schedule = tasks.Select(task => (Task: task, Due: start)).ToArray();
        if (schedule.Length == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            do
            {
                for (var i = 0; i < schedule.Length; i++)
                {
                    var (task, due) = schedule[i];
                    if (due > time.GetUtcNow())
                    {
                        continue;
                    }

                    await RunAsync(task, stoppingToken);
                    // On the task's own beat, as a periodic timer ticks; a run that overran its interval is followed
                    // by one more at once, not by a burst of the turns it missed.
                    var next = due + task.Interval;
                    schedule[i] = (task, next > time.GetUtcNow() ? next : time.GetUtcNow());
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private async Task RunAsync(IMaintenanceTask task, CancellationToken stoppingToken)
    {
        try
        {
            await task.RunAsync(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "The maintenance task {Task} failed; trying again in {Every}", task.GetType().Name, task.Interval);
        }
    }
}
