using System.Globalization;
using System.Runtime.InteropServices;

namespace WebStudio.Benchmarks;

/// <summary>
/// Linux process memory figures for the SD-scale benchmark: resident set (VmRSS) and its high-water mark (VmHWM),
/// which /proc/self/clear_refs can reset so each phase gets its own peak; and eviction of a model's files from the
/// page cache (posix_fadvise DONTNEED on those files only), so a "cold" load really reads the disk.
/// </summary>
internal static class SdScaleMemory
{
    private const int PosixFadviseDontNeed = 4;

    public static long ResidentBytes => StatusKilobytes("VmRSS:") * 1024;

    public static long PeakResidentBytes => StatusKilobytes("VmHWM:") * 1024;

    /// <summary>Starts a new peak: VmHWM becomes the current VmRSS (Linux ≥ 4.0; "5" resets only the peak).</summary>
    public static void ResetPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5");
    }

    /// <summary>Drops the cached pages of every file under <paramref name="folder"/> (after flushing them).</summary>
    public static void EvictFromPageCache(string folder)
    {
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
            RandomAccess.FlushToDisk(handle);
            _ = PosixFadvise((int)handle.DangerousGetHandle(), 0, 0, PosixFadviseDontNeed);
        }
    }

    /// <summary>Hands freed heap pages back to the OS (glibc keeps them), so the next phase's RSS growth is its own.</summary>
    public static void ReturnFreed()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (OperatingSystem.IsLinux())
        {
            _ = MallocTrim(0);
        }
    }

    public static string Gigabytes(long bytes) => (bytes / 1e9).ToString("F2", CultureInfo.InvariantCulture);

    private static long StatusKilobytes(string key)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(key, StringComparison.Ordinal));
        return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "posix_fadvise")]
    private static extern int PosixFadvise(int fd, long offset, long length, int advice);
}
