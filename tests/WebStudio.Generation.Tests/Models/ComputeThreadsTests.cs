using WebStudio.Generation.Models;

namespace WebStudio.Generation.Tests.Models;

/// <summary>The model's native work runs on dedicated threads below the process's priority, while its caller waits.</summary>
[Trait("Capability", "ScaleOut")]
public sealed class ComputeThreadsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Work_runs_at_the_configured_nice_value_and_the_caller_keeps_its_own()
    {
        var compute = new ComputeThreads(10);
        var caller = ComputeThreads.CurrentThreadNice();

        var (inside, name) = compute.Invoke(() => (ComputeThreads.CurrentThreadNice(), Thread.CurrentThread.Name));

        Assert.Equal("compute 1", name);
        if (OperatingSystem.IsLinux())
        {
            // A process already niced above 10 keeps its value: going back up is what no unprivileged thread may do.
            Assert.Equal(Math.Max(10, caller!.Value), inside);
            Assert.Equal(caller, ComputeThreads.CurrentThreadNice());
        }
    }

    [Fact]
    public void A_thread_the_work_creates_inherits_its_priority_as_onnx_runtimes_operator_threads_do()
    {
        var compute = new ComputeThreads(12);
        var caller = ComputeThreads.CurrentThreadNice();

        var child = compute.Invoke(() =>
        {
            int? nice = null;
            var thread = new Thread(() => nice = ComputeThreads.CurrentThreadNice());
            thread.Start();
            thread.Join();
            return nice;
        });

        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(Math.Max(12, caller!.Value), child);
        }
    }

    [Fact]
    public async Task Calls_in_flight_together_get_a_thread_each_and_threads_are_kept_for_the_next()
    {
        var compute = new ComputeThreads(10);
        using var bothRunning = new Barrier(2);

        // Each waits for the other: on one thread, the first would wait its whole patience and fail.
        var met = await Task.WhenAll(
            Task.Run(() => compute.Invoke(() => bothRunning.SignalAndWait(Patience))),
            Task.Run(() => compute.Invoke(() => bothRunning.SignalAndWait(Patience))));
        var results = Enumerable.Range(0, 5).Select(i => compute.Invoke(() => i * i)).ToList();

        Assert.Equal([true, true], met);
        Assert.Equal([0, 1, 4, 9, 16], results);
        Assert.Equal(2, compute.Threads);
    }

    [Fact]
    public void A_failure_reaches_the_caller_as_itself()
    {
        var compute = new ComputeThreads(10);

        var failure = Assert.Throws<InvalidDataException>(() => compute.Invoke<int>(() => throw new InvalidDataException("bad tensor")));

        Assert.Equal("bad tensor", failure.Message);
        Assert.Contains(nameof(A_failure_reaches_the_caller_as_itself), failure.StackTrace);
        Assert.Equal(7, compute.Invoke(() => 7)); // the thread goes on serving
    }

    [Fact]
    public void Nice_zero_runs_the_work_on_the_caller_and_starts_no_thread()
    {
        var compute = new ComputeThreads(0);

        var thread = compute.Invoke(() => Environment.CurrentManagedThreadId);

        Assert.Equal(Environment.CurrentManagedThreadId, thread);
        Assert.Equal(0, compute.Threads);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(20)]
    public void A_nice_value_out_of_the_kernels_range_is_refused(int nice) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ComputeThreads(nice));
}
