using System.Collections.Concurrent;
using System.Threading.Channels;
using WebStudio.Data;

namespace WebStudio.Studio.Previews;

/// <summary>
/// Fans out job progress from the workers to components (small state callbacks) and to SignalR watchers (preview
/// frames). Each watcher has its own one-frame channel that drops the older frame, so a slow client skips frames
/// and the worker, which only ever calls TryWrite, never waits for anyone. The latest frame of each running job is
/// kept so that a view re-attaching gets a picture at once.
/// </summary>
public sealed class JobProgressNotifier
{
    private static readonly TimeSpan EndedRetention = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<Guid, LiveJob> _jobs = new();
    private readonly object _queueGate = new();
    private readonly List<Func<Task>> _queueSubscribers = [];

    /// <summary>Raised when this process changes the queue, so that a relay can tell the other processes.</summary>
    public event Action? QueueChangedHere;

    /// <summary>Raised when a job gains its first follower here or loses its last, so that a relay can (un)subscribe.</summary>
    public event Action? FollowsChanged;

    public JobLiveState? GetLiveState(Guid jobId) => _jobs.TryGetValue(jobId, out var job) ? job.State : null;

    public PreviewFrame? GetLatestFrame(Guid jobId) => _jobs.TryGetValue(jobId, out var job) ? job.Latest : null;

    /// <summary>Whether a studio view (a component or a SignalR watcher) follows the job right now.</summary>
    public bool IsWatched(Guid jobId)
    {
        if (!_jobs.TryGetValue(jobId, out var job))
        {
            return false;
        }

        lock (job)
        {
            return job.Subscribers.Count + job.Watchers.Count > 0;
        }
    }

    /// <summary>
    /// How often a picture of the job's steps is worth drawing for the views here: null when none would see one, zero
    /// for every step (an unpaced watcher, or a subscriber that reads the pictures, as the OpenAI API's partial images
    /// do), else the shortest pace among its watchers, who are sent at most one picture per pace anyway.
    /// </summary>
    public TimeSpan? PictureInterval(Guid jobId)
    {
        if (!_jobs.TryGetValue(jobId, out var job))
        {
            return null;
        }

        lock (job)
        {
            if (job.Subscribers.Exists(subscriber => subscriber.WithPictures))
            {
                return TimeSpan.Zero;
            }

            TimeSpan? shortest = null;
            foreach (var watcher in job.Watchers)
            {
                shortest = shortest is { } pace && pace <= watcher.Pace ? pace : watcher.Pace;
            }

            return shortest;
        }
    }

    /// <summary>The jobs that a view here follows and that have not ended yet.</summary>
    public IReadOnlyList<Guid> FollowedJobIds()
    {
        var followed = new List<Guid>();
        foreach (var job in _jobs.Values)
        {
            lock (job)
            {
                if (!job.Ended && job.Subscribers.Count + job.Watchers.Count > 0)
                {
                    followed.Add(job.Id);
                }
            }
        }

        return followed;
    }

    /// <summary>Calls <paramref name="callback"/> on every progress or status change of the job until disposed.</summary>
    /// <param name="withPictures">Whether the callback reads the step's picture (<see cref="GetLatestFrame"/>): then
    /// every step's picture is drawn while it is subscribed.</param>
    public IDisposable SubscribeJob(Guid jobId, Func<JobLiveState, Task> callback, bool withPictures = false)
    {
        var job = _jobs.GetOrAdd(jobId, id => new LiveJob(id));
        var subscriber = new Subscriber(callback, withPictures);
        lock (job)
        {
            job.Subscribers.Add(subscriber);
        }

        FollowsChanged?.Invoke();
        return new Subscription(() =>
        {
            lock (job)
            {
                job.Subscribers.Remove(subscriber);
            }

            ForgetIfIdle(job);
            FollowsChanged?.Invoke();
        });
    }

    /// <summary>Whether any view follows the queue right now.</summary>
    public bool HasQueueSubscribers
    {
        get
        {
            lock (_queueGate)
            {
                return _queueSubscribers.Count > 0;
            }
        }
    }

    /// <summary>Calls <paramref name="callback"/> whenever the queue changes (submitted, started, finished, moved).</summary>
    public IDisposable SubscribeQueue(Func<Task> callback)
    {
        lock (_queueGate)
        {
            _queueSubscribers.Add(callback);
        }

        return new Subscription(() =>
        {
            lock (_queueGate)
            {
                _queueSubscribers.Remove(callback);
            }
        });
    }

    /// <summary>
    /// A stream of frames for one watcher, starting with the job's current state. It completes when the job ends
    /// or <paramref name="cancellationToken"/> fires (the client went away). With a <paramref name="pace"/>, it gives
    /// at most one picture per pace (<see cref="PacedFrameReader"/>).
    /// </summary>
    public ChannelReader<PreviewFrame> Watch(Guid jobId, JobStatus storedStatus, int storedTotalSteps, CancellationToken cancellationToken,
        TimeSpan pace = default, TimeProvider? time = null)
    {
        pace = pace > TimeSpan.Zero ? pace : TimeSpan.Zero;
        var frames = EveryFrame(jobId, storedStatus, storedTotalSteps, pace, cancellationToken);
        return pace > TimeSpan.Zero ? new PacedFrameReader(frames, pace, time ?? TimeProvider.System) : frames;
    }

    private ChannelReader<PreviewFrame> EveryFrame(Guid jobId, JobStatus storedStatus, int storedTotalSteps, TimeSpan pace, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<PreviewFrame>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });

        if (IsTerminal(storedStatus) && GetLiveState(jobId) is null)
        {
            channel.Writer.TryWrite(new PreviewFrame(storedTotalSteps, storedTotalSteps, storedStatus.ToString(), null));
            channel.Writer.TryComplete();
            return channel.Reader;
        }

        var job = _jobs.GetOrAdd(jobId, id => new LiveJob(id));
        var watcher = new Watcher(channel.Writer, pace);
        lock (job)
        {
            var first = job.Latest ?? new PreviewFrame(job.State?.Step ?? 0, job.State?.TotalSteps ?? storedTotalSteps,
                job.State?.Status ?? storedStatus.ToString(), null);
            channel.Writer.TryWrite(first);
            if (job.Ended)
            {
                channel.Writer.TryComplete();
                return channel.Reader;
            }

            job.Watchers.Add(watcher);
        }

        FollowsChanged?.Invoke();
        cancellationToken.Register(() =>
        {
            lock (job)
            {
                job.Watchers.Remove(watcher);
            }

            channel.Writer.TryComplete();
            ForgetIfIdle(job);
            FollowsChanged?.Invoke();
        });
        return channel.Reader;
    }

    /// <summary>A relayed report: a status change, or a finished step with its encoded preview.</summary>
    public void Report(Guid jobId, JobStatus status, int step, int totalSteps, byte[]? png = null) =>
        Report(jobId, status, step, totalSteps, png is null ? null : PreviewImage.FromEncoded(png));

    /// <summary>A worker's report: a status change, or a finished step with its preview (encoded when first read).</summary>
    public void Report(Guid jobId, JobStatus status, int step, int totalSteps, PreviewImage? image)
    {
        var job = _jobs.GetOrAdd(jobId, id => new LiveJob(id));
        var state = new JobLiveState(jobId, status.ToString(), step, totalSteps);
        List<Subscriber> subscribers;
        lock (job)
        {
            job.State = state;
            var frame = new PreviewFrame(step, totalSteps, state.Status, image ?? job.Latest?.Image);
            job.Latest = image is null && job.Latest is null ? null : frame;
            foreach (var watcher in job.Watchers)
            {
                watcher.Writer.TryWrite(frame);
            }

            if (IsTerminal(status))
            {
                job.Ended = true;
                job.EndedAt = DateTime.UtcNow;
                foreach (var watcher in job.Watchers)
                {
                    watcher.Writer.TryComplete();
                }

                job.Watchers.Clear();
            }

            subscribers = [.. job.Subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            Fire(() => subscriber.Callback(state));
        }

        if (IsTerminal(status))
        {
            // Kept a while, so that a watcher arriving just after the end still gets the final status at once.
            _ = Task.Delay(EndedRetention).ContinueWith(_ => ForgetIfIdle(job), TaskScheduler.Default);
        }
    }

    /// <summary>Tells queue views to refresh (positions and ETAs changed), here and, through a relay, elsewhere.</summary>
    public void QueueChanged()
    {
        QueueChangedElsewhere();
        QueueChangedHere?.Invoke();
    }

    /// <summary>Another process changed the queue: views here refresh; nothing is passed on.</summary>
    public void QueueChangedElsewhere()
    {
        List<Func<Task>> subscribers;
        lock (_queueGate)
        {
            subscribers = [.. _queueSubscribers];
        }

        foreach (var subscriber in subscribers)
        {
            Fire(subscriber);
        }
    }

    private static bool IsTerminal(JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled;

    // Subscribers marshal to their own circuit (InvokeAsync); the worker never awaits them.
    private static void Fire(Func<Task> callback)
    {
        try
        {
            _ = callback().ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }
        catch (ObjectDisposedException)
        {
            // A circuit that went away between the copy of the list and this call.
        }
    }

    // A finished job's entry goes once no component or watcher holds it; a queued job's entry stays while watched.
    private void ForgetIfIdle(LiveJob job)
    {
        lock (job)
        {
            var retained = job.EndedAt is { } ended && DateTime.UtcNow - ended < EndedRetention;
            if (job.Subscribers.Count == 0 && job.Watchers.Count == 0 && !retained && (job.Ended || job.State is null))
            {
                _jobs.TryRemove(new KeyValuePair<Guid, LiveJob>(job.Id, job));
            }
        }
    }

    private sealed class LiveJob(Guid id)
    {
        public Guid Id { get; } = id;
        public JobLiveState? State { get; set; }
        public PreviewFrame? Latest { get; set; }
        public bool Ended { get; set; }
        public DateTime? EndedAt { get; set; }
        public List<Subscriber> Subscribers { get; } = [];
        public List<Watcher> Watchers { get; } = [];
    }

    // A component's callback, and whether it reads each step's picture (removed by the record it was added as).
    private sealed record Subscriber(Func<JobLiveState, Task> Callback, bool WithPictures);

    // A watcher's stream and the least time between the pictures it is sent (zero: every frame).
    private sealed record Watcher(ChannelWriter<PreviewFrame> Writer, TimeSpan Pace);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                dispose();
            }
        }
    }
}
