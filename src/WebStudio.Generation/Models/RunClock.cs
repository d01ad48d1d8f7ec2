using System.Diagnostics;

namespace WebStudio.Generation.Models;

/// <summary>Sums the time spent inside ONNX Runtime's Run calls of one job, so wall time can be compared with it.</summary>
public sealed class RunClock
{
    private long _ticks;
    private int _calls;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

    public int Calls => _calls;

    internal void Add(long startTimestamp, long endTimestamp)
    {
        Interlocked.Add(ref _ticks, endTimestamp - startTimestamp);
        Interlocked.Increment(ref _calls);
    }
}
