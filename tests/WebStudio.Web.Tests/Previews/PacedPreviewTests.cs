using System.Diagnostics;
using WebStudio.Data;
using WebStudio.Studio.Previews;

namespace WebStudio.Web.Tests.Previews;

/// <summary>
/// A watcher's preview stream is paced (Generation:PreviewIntervalMs): at most one picture per interval however fast
/// the steps come, always the newest, with the first picture and every status change sent at once.
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed class PacedPreviewTests
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(200);

    // How late the test's own reading task may note a picture it was handed.
    private static readonly TimeSpan ReadLag = TimeSpan.FromMilliseconds(30);

    [Fact]
    public async Task A_paced_watcher_gets_at_most_one_picture_per_interval_the_newest_and_the_end_at_once()
    {
        var notifier = new JobProgressNotifier();
        var jobId = Guid.NewGuid();
        using var gone = new CancellationTokenSource();
        var reader = notifier.Watch(jobId, JobStatus.Queued, 60, gone.Token, Pace);
        var clock = Stopwatch.StartNew();
        var received = new List<(PreviewFrame Frame, TimeSpan At)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var frame in reader.ReadAllAsync())
            {
                received.Add((frame, clock.Elapsed));
            }
        });

        notifier.Report(jobId, JobStatus.Running, 0, 60, (byte[]?)null);
        var firstPictureAt = clock.Elapsed;
        for (var step = 1; step <= 60; step++)
        {
            notifier.Report(jobId, JobStatus.Running, step, 60, [0xFF, 0xD8, (byte)step]);
            await Task.Delay(10);
        }

        var endedAt = clock.Elapsed;
        notifier.Report(jobId, JobStatus.Succeeded, 60, 60, (byte[]?)null);
        await watching.WaitAsync(TimeSpan.FromSeconds(10));

        var pictures = received.Where(r => r.Frame.Image is not null && r.Frame.Status == "Running").ToList();
        var allowed = (int)Math.Ceiling((endedAt - firstPictureAt) / Pace) + 1;
        Assert.InRange(pictures.Count, 2, allowed);
        Assert.True(pictures[0].At - firstPictureAt < Pace, $"the first picture waited {pictures[0].At - firstPictureAt}");
        // Each time is taken by the reading task after its read, not when the reader stamped the picture: on a loaded
        // 2-core machine a read's time can lag by a slice, which shortens the gap after it (a CI run saw 187 ms).
        Assert.All(pictures.Zip(pictures.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= Pace - ReadLag,
            $"two pictures {pair.Second.At - pair.First.At} apart"));
        Assert.Equal(pictures.Select(p => p.Frame.Step).Order(), pictures.Select(p => p.Frame.Step));

        // The end goes out at once, with the newest picture, not after the rest of an interval.
        var last = received[^1];
        Assert.Equal("Succeeded", last.Frame.Status);
        Assert.Equal([0xFF, 0xD8, 60], last.Frame.Png);
        Assert.True(last.At - endedAt < Pace, $"the end waited {last.At - endedAt}");
    }

    [Fact]
    public async Task An_unpaced_watcher_and_the_pace_of_zero_get_every_frame_the_reader_keeps_up_with()
    {
        var notifier = new JobProgressNotifier();
        var jobId = Guid.NewGuid();
        using var gone = new CancellationTokenSource();
        var reader = notifier.Watch(jobId, JobStatus.Running, 3, gone.Token, TimeSpan.Zero);
        var received = new List<int>();
        for (var step = 1; step <= 3; step++)
        {
            notifier.Report(jobId, JobStatus.Running, step, 3, [0xFF, 0xD8, (byte)step]);
            Assert.True(await reader.WaitToReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.True(reader.TryRead(out var frame));
            received.Add(frame!.Step);
        }

        Assert.Equal([1, 2, 3], received);
    }

    [Fact]
    public void Pictures_are_wanted_at_the_shortest_pace_of_the_watchers_and_at_every_step_for_a_subscriber_that_reads_them()
    {
        var notifier = new JobProgressNotifier();
        var jobId = Guid.NewGuid();
        Assert.Null(notifier.PictureInterval(jobId));

        // A view that follows only the state (a job panel) wants no picture of its own.
        using var panel = notifier.SubscribeJob(jobId, _ => Task.CompletedTask);
        Assert.Null(notifier.PictureInterval(jobId));

        using var slow = new CancellationTokenSource();
        using var fast = new CancellationTokenSource();
        notifier.Watch(jobId, JobStatus.Running, 20, slow.Token, Pace * 2);
        notifier.Watch(jobId, JobStatus.Running, 20, fast.Token, Pace);
        Assert.Equal(Pace, notifier.PictureInterval(jobId));

        var partials = notifier.SubscribeJob(jobId, _ => Task.CompletedTask, withPictures: true);
        Assert.Equal(TimeSpan.Zero, notifier.PictureInterval(jobId));
        partials.Dispose();
        Assert.Equal(Pace, notifier.PictureInterval(jobId));

        fast.Cancel();
        Assert.Equal(Pace * 2, notifier.PictureInterval(jobId));
        slow.Cancel();
        Assert.Null(notifier.PictureInterval(jobId));
    }
}
