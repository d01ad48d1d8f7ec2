using WebStudio.Generation.Models;

namespace WebStudio.Generation.Tests.Models;

/// <summary>A CUDA device's memory from its driver, or why it cannot be read; the same tests hold on a GPU machine
/// (a reading) and on ours (no CUDA runtime: the reason names the libraries looked for).</summary>
[Trait("Capability", "UserModels")]
public class CudaDeviceMemoryTests
{
    [Fact]
    public void Read_gives_the_device_memory_or_names_what_is_missing()
    {
        var (reading, failure) = CudaDeviceMemory.Read(0);

        if (reading is not null)
        {
            Assert.Null(failure);
            Assert.InRange(reading.TotalBytes, 1L << 30, 1L << 44);
            Assert.InRange(reading.FreeBytes, 0, reading.TotalBytes);
            Assert.Equal(reading.TotalBytes - reading.FreeBytes, reading.UsedBytes);
            return;
        }

        Assert.False(string.IsNullOrWhiteSpace(failure), "no reading and no reason");
        Assert.Matches(@"cudart|CUDA", failure);
    }

    [Fact]
    public void Read_refuses_a_negative_device_number()
    {
        var (reading, failure) = CudaDeviceMemory.Read(-1);

        Assert.Null(reading);
        Assert.Contains("device -1 does not exist", failure);
    }

    [Fact]
    public void A_device_beyond_the_last_is_not_read()
    {
        var (reading, failure) = CudaDeviceMemory.Read(4096);

        Assert.Null(reading);
        Assert.False(string.IsNullOrWhiteSpace(failure));
    }

    [Fact]
    public void Watching_the_peak_needs_a_readable_device_and_stops_when_disposed()
    {
        using var peak = CudaDeviceMemory.WatchPeak(0, TimeSpan.FromMilliseconds(5));

        if (CudaDeviceMemory.Read(0).Reading is null)
        {
            Assert.Null(peak);
            return;
        }

        Assert.NotNull(peak);
        Thread.Sleep(50);
        Assert.True(peak.PeakUsedBytes >= peak.Before.UsedBytes);
    }

    [Fact]
    public void The_total_agrees_with_a_reading_and_stays_the_same() =>
        Assert.Equal((CudaDeviceMemory.Read(0).Reading?.TotalBytes, CudaDeviceMemory.TotalBytes(0)),
            (CudaDeviceMemory.TotalBytes(0), CudaDeviceMemory.TotalBytes(0)));

    [Fact]
    public void A_reading_reads_in_gibibytes()
    {
        var reading = new CudaMemoryReading(FreeBytes: 3L << 29, TotalBytes: 8L << 30);

        Assert.Equal("8.0 GiB, 1.5 GiB free", reading.ToString());
        Assert.Equal((8L << 30) - (3L << 29), reading.UsedBytes);
    }
}
