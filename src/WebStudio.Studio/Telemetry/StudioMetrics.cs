using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.Studio.Telemetry;

/// <summary>
/// The studio's own metrics, on the platform's <see cref="Meter"/> (hosts export them with OpenTelemetry, e.g. to
/// Prometheus): the queue's depth, each job's wait and run time, denoising steps (their rate is steps a second),
/// preview fan-out latency across processes, running worker loops, and claim conflicts between workers.
/// </summary>
public sealed class StudioMetrics
{
    public const string MeterName = "WebStudio";

    // Jobs last from a tenth of a second (the built-in model) to minutes (SDXL on a CPU).
    private static readonly InstrumentAdvice<double> Seconds = new() { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] };

    private readonly Histogram<double> _wait;
    private readonly Histogram<double> _run;
    private readonly Counter<long> _steps;
    private readonly Histogram<double> _fanOut;
    private readonly Counter<long> _claimConflicts;
    private int _workerLoops;

    public StudioMetrics(IMeterFactory meters, IDbContextFactory<StudioDbContext> dbFactory)
    {
        var meter = meters.Create(MeterName);
        _wait = meter.CreateHistogram("webstudio.job.wait", "s", "Time from a job's submission to its start.", advice: Seconds);
        _run = meter.CreateHistogram("webstudio.job.run", "s", "Time from a job's start to its end, by outcome.", advice: Seconds);
        _steps = meter.CreateCounter<long>("webstudio.steps", "{step}", "Denoising steps run; its rate is steps a second.");
        _fanOut = meter.CreateHistogram("webstudio.preview.fanout", "ms", "From a worker's publish of a preview to its arrival at a web node.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000] });
        _claimConflicts = meter.CreateCounter<long>("webstudio.claim.conflicts", "{claim}", "Claims lost to another worker that took the same job first.");
        meter.CreateObservableUpDownCounter("webstudio.workers", () => Volatile.Read(ref _workerLoops), "{worker}", "Worker loops running in this process.");

        // Read when scraped: one indexed count, so the figure is the database's, whichever node is asked.
        meter.CreateObservableGauge("webstudio.queue.depth", () =>
        {
            using var db = dbFactory.CreateDbContext();
            return db.Jobs.LongCount(j => j.Status == JobStatus.Queued);
        }, "{job}", "Jobs waiting in the queue.");
    }

    public void JobStarted(DateTime createdAt, DateTime startedAt, string kind) =>
        _wait.Record(Math.Max(0, (startedAt - createdAt).TotalSeconds), new KeyValuePair<string, object?>("kind", kind));

    public void JobEnded(TimeSpan running, string kind, JobStatus outcome) =>
        _run.Record(running.TotalSeconds, new("kind", kind), new("outcome", outcome.ToString()));

    public void StepDone(string model) => _steps.Add(1, new KeyValuePair<string, object?>("model", model));

    public void PreviewArrived(TimeSpan latency) => _fanOut.Record(latency.TotalMilliseconds);

    public void ClaimConflict() => _claimConflicts.Add(1);

    public IDisposable WorkerLoopRunning()
    {
        Interlocked.Increment(ref _workerLoops);
        return new LoopEnded(() => Interlocked.Decrement(ref _workerLoops));
    }

    private sealed class LoopEnded(Action end) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                end();
            }
        }
    }
}
