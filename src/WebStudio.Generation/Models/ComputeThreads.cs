using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace WebStudio.Generation.Models;

/// <summary>
/// Dedicated threads that run ONNX Runtime's native work on the CPU (a graph's run, a session's creation) below the
/// rest of the process: on Linux each raises its own nice value to <see cref="Nice"/>; elsewhere it runs below normal
/// priority. A graph on a GPU runs on its caller, at full priority: that thread keeps the device fed.
/// <para>Why: a generation on the CPU fills whole cores for as long as it runs. At the same priority, the server's short
/// work beside it (the next claim, a lease renewal, a preview's send, a page, a request) waited for a core behind every
/// other busy thread. With 4 worker processes on 2 cores, the hand-over from one job's end to the next claim reached
/// 21–25 ms at p99, against 1–3 ms with one worker. The model still gets every core that nothing else wants.</para>
/// <para>Only native work runs here, and the caller waits for it: a Linux thread inherits the nice value of the
/// thread that creates it, so .NET code here could start pool threads that stayed niced. ONNX Runtime's own operator
/// threads are created with the session, here, and do inherit it, as they should.</para>
/// </summary>
public sealed partial class ComputeThreads
{
    /// <summary>The nice value every compute thread sets on itself (0..19; 0 runs the work on the caller instead).</summary>
    public int Nice { get; }

    private readonly BlockingCollection<Call> _calls = [];
    private int _started;

    // Threads started and not reserved by a call: Invoke takes one, or starts a thread, so that a call never waits
    // behind another (each job in flight has its own).
    private int _free;

    [ThreadStatic]
    private static bool _isComputeThread;

    public ComputeThreads(int nice)
    {
        if (nice is < 0 or > 19)
        {
            throw new ArgumentOutOfRangeException(nameof(nice), nice,
                "The compute threads' nice value must be between 0 (the process's own priority) and 19 (the lowest).");
        }

        Nice = nice;
    }

    /// <summary>Runs every call on its caller: for a graph on a GPU, and where no compute threads are set.</summary>
    public static ComputeThreads OnCaller { get; } = new(0);

    /// <summary>Where a session's runs go: <paramref name="compute"/> for a session on the CPU, else the caller (a GPU's
    /// runs are its feeding thread, which must keep the device busy rather than yield).</summary>
    public static ComputeThreads ForSession(ComputeThreads? compute, string provider) =>
        provider == ExecutionProviders.Cpu ? compute ?? OnCaller : OnCaller;

    /// <summary>Threads started so far.</summary>
    public int Threads => Volatile.Read(ref _started);

    /// <summary>Runs <paramref name="work"/> on a compute thread and waits for it; its exception is rethrown as it is.
    /// With <see cref="Nice"/> 0, or called on a compute thread, the work runs on the caller.</summary>
    public T Invoke<T>(Func<T> work)
    {
        if (Nice == 0 || _isComputeThread)
        {
            return work();
        }

        using var call = new Call<T>(work);
        if (Interlocked.Decrement(ref _free) < 0)
        {
            Interlocked.Increment(ref _free);
            Start();
        }

        _calls.Add(call);
        call.Done.Wait();
        return call.Outcome();
    }

    /// <summary>As <see cref="Invoke{T}"/>, for work that returns nothing.</summary>
    public void Invoke(Action work) => Invoke(() =>
    {
        work();
        return true;
    });

    /// <summary>The nice value of the calling thread (Linux), read back from the kernel; null elsewhere.</summary>
    public static int? CurrentThreadNice()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Marshal.SetLastPInvokeError(0);
        var nice = getpriority(PrioProcess, 0);
        return nice == -1 && Marshal.GetLastPInvokeError() != 0 ? null : nice;
    }

    private void Start()
    {
        var number = Interlocked.Increment(ref _started);
        new Thread(Loop) { IsBackground = true, Name = $"compute {number}" }.Start();
    }

    private void Loop()
    {
        _isComputeThread = true;
        Lower();
        foreach (var call in _calls.GetConsumingEnumerable())
        {
            call.Run();
            // Free before the caller wakes: a caller that goes on to its next call finds this thread.
            Interlocked.Increment(ref _free);
            call.Done.Set();
        }
    }

    private void Lower()
    {
        if (OperatingSystem.IsLinux())
        {
            // Linux keeps a nice value per thread, and "the calling process" (0) of setpriority is the calling thread.
            // Raising one's own needs no privilege; should it fail, the work runs at the process's priority.
            _ = setpriority(PrioProcess, 0, Nice);
        }
        else
        {
            Thread.CurrentThread.Priority = Nice >= 10 ? ThreadPriority.Lowest : ThreadPriority.BelowNormal;
        }
    }

    private abstract class Call : IDisposable
    {
        public ManualResetEventSlim Done { get; } = new();

        public abstract void Run();

        public void Dispose() => Done.Dispose();
    }

    private sealed class Call<T>(Func<T> work) : Call
    {
        private T? _result;
        private ExceptionDispatchInfo? _failure;

        public override void Run()
        {
            try
            {
                _result = work();
            }
            catch (Exception ex)
            {
                _failure = ExceptionDispatchInfo.Capture(ex);
            }
        }

        public T Outcome()
        {
            _failure?.Throw();
            return _result!;
        }
    }

    private const int PrioProcess = 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, uint who, int prio);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getpriority(int which, uint who);
}
