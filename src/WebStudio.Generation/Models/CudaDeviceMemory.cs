using System.Globalization;
using System.Runtime.InteropServices;

namespace WebStudio.Generation.Models;

/// <summary>A CUDA device's memory in bytes, as its driver reports it: free and total.</summary>
public sealed record CudaMemoryReading(long FreeBytes, long TotalBytes)
{
    public long UsedBytes => TotalBytes - FreeBytes;

    public override string ToString() => $"{Gibibytes(TotalBytes)}, {Gibibytes(FreeBytes)} free";

    /// <summary>"139.8 GiB", whatever the culture (it goes into logs).</summary>
    public static string Gibibytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F1} GiB");
}

/// <summary>
/// Reads a CUDA device's memory from its driver through the CUDA runtime (cudaMemGetInfo), the library ONNX Runtime's
/// CUDA provider loads, so that device numbers mean what ORT's device_id means (NVML counts devices in another order
/// unless CUDA_DEVICE_ORDER says otherwise). Each read runs on a thread of its own: cudaSetDevice sets the calling
/// thread's device, which ORT's own threads must not inherit from us.
/// </summary>
public static class CudaDeviceMemory
{
    private const int CudaSuccess = 0;

    private static readonly string[] Libraries = OperatingSystem.IsWindows()
        ? ["cudart64_13.dll", "cudart64_130.dll", "cudart64_12.dll"]
        : ["libcudart.so.13", "libcudart.so.12", "libcudart.so"];

    private static readonly Lazy<(Runtime? Api, string? Failure)> Loaded = new(Load);

    // A device's total memory does not change: read once per device, for every log line and admission check.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, long?> Totals = new();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetDevice(int device);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int MemGetInfo(out nuint free, out nuint total);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr ErrorString(int error);

    private sealed record Runtime(string Library, SetDevice SetDevice, MemGetInfo MemGetInfo, ErrorString ErrorString);

    /// <summary>The device's memory, or why it cannot be read here (no CUDA runtime, no such device, no driver).</summary>
    public static (CudaMemoryReading? Reading, string? Failure) Read(int deviceId)
    {
        if (deviceId < 0)
        {
            return (null, $"CUDA device {deviceId} does not exist: device numbers start at 0");
        }

        var (api, failure) = Loaded.Value;
        if (api is null)
        {
            return (null, failure);
        }

        (CudaMemoryReading?, string?) result = (null, "the read did not finish");
        var thread = new Thread(() => result = ReadOn(api, deviceId)) { IsBackground = true, Name = "CUDA memory read" };
        thread.Start();
        thread.Join();
        return result;
    }

    /// <summary>The device's total memory in bytes, read once; null where it cannot be read (see <see cref="Read"/>).</summary>
    public static long? TotalBytes(int deviceId) => Totals.GetOrAdd(deviceId, id => Read(id).Reading?.TotalBytes);

    /// <summary>Samples the device's used memory every <paramref name="every"/> on a thread of its own until disposed:
    /// the peak of a run, which the process's RSS does not show for memory on the device. Null where the device cannot
    /// be read (see <see cref="Read"/>).</summary>
    public static CudaMemoryPeak? WatchPeak(int deviceId, TimeSpan every)
    {
        var (first, _) = Read(deviceId);
        return first is null ? null : new CudaMemoryPeak(first, () => ReadOn(Loaded.Value.Api!, deviceId).Item1, every);
    }

    private static (CudaMemoryReading?, string?) ReadOn(Runtime api, int deviceId)
    {
        var status = api.SetDevice(deviceId);
        if (status == CudaSuccess)
        {
            status = api.MemGetInfo(out var free, out var total);
            if (status == CudaSuccess)
            {
                return (new CudaMemoryReading((long)free, (long)total), null);
            }
        }

        var text = Marshal.PtrToStringAnsi(api.ErrorString(status)) ?? "no description";
        return (null, $"{api.Library} could not read CUDA device {deviceId}: error {status} ({text})");
    }

    private static (Runtime?, string?) Load()
    {
        foreach (var name in Libraries)
        {
            if (!NativeLibrary.TryLoad(name, typeof(CudaDeviceMemory).Assembly, null, out var handle))
            {
                continue;
            }

            return NativeLibrary.TryGetExport(handle, "cudaSetDevice", out var set)
                && NativeLibrary.TryGetExport(handle, "cudaMemGetInfo", out var info)
                && NativeLibrary.TryGetExport(handle, "cudaGetErrorString", out var error)
                ? (new Runtime(name, Marshal.GetDelegateForFunctionPointer<SetDevice>(set), Marshal.GetDelegateForFunctionPointer<MemGetInfo>(info),
                    Marshal.GetDelegateForFunctionPointer<ErrorString>(error)), null)
                : (null, $"{name} lacks cudaSetDevice, cudaMemGetInfo or cudaGetErrorString");
        }

        return (null, $"no CUDA runtime library was found ({string.Join(", ", Libraries)})");
    }
}

/// <summary>The highest used memory a device showed while this watch ran (see <see cref="CudaDeviceMemory.WatchPeak"/>).</summary>
public sealed class CudaMemoryPeak : IDisposable
{
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private long _peakUsed;

    internal CudaMemoryPeak(CudaMemoryReading first, Func<CudaMemoryReading?> read, TimeSpan every)
    {
        Before = first;
        _peakUsed = first.UsedBytes;
        _thread = new Thread(() =>
        {
            do
            {
                if (read() is { } reading && reading.UsedBytes > Interlocked.Read(ref _peakUsed))
                {
                    Interlocked.Exchange(ref _peakUsed, reading.UsedBytes);
                }
            }
            while (!_stop.Wait(every));
        }) { IsBackground = true, Name = "CUDA memory watch" };
        _thread.Start();
    }

    /// <summary>The device when the watch began.</summary>
    public CudaMemoryReading Before { get; }

    /// <summary>The most memory in use on the device (by every process) at any sample so far.</summary>
    public long PeakUsedBytes => Interlocked.Read(ref _peakUsed);

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }
}
