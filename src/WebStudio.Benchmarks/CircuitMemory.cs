using System.Diagnostics;
using WebStudio.Testing.Memory;

namespace WebStudio.Benchmarks;

/// <summary>
/// Memory per Blazor circuit: what the server holds for each open Generate page beyond what it held before, after a
/// full GC each time (<see cref="ProcessMemory"/>). A few circuits are opened first and stay open through both
/// measurements, so one-time costs (component metadata, MudBlazor's and Blazor's static caches, JIT) are not counted
/// as each circuit's.
/// </summary>
public static class CircuitMemory
{
    private const int WarmCircuits = 2;

    public static async Task RunAsync(int serverProcessId, Uri baseAddress, string email, string password, int count, bool byType)
    {
        Console.WriteLine();
        Console.WriteLine("## server memory per circuit (after a full GC; resident = VmRSS, managed + native; managed = objects reachable from the GC roots)");
        var opened = Stopwatch.StartNew();
        await using var circuits = await StudioCircuits.OpenAsync(baseAddress, email, password, WarmCircuits);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = await ProcessMemory.MeasureAsync(serverProcessId);
        Console.WriteLine($"with {WarmCircuits} warm-up circuits: resident {MiB(before.ResidentBytes):0.0} MiB, managed {MiB(before.ManagedBytes):0.0} MiB");

        await circuits.AddAsync(count);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = await ProcessMemory.MeasureAsync(serverProcessId);
        Console.WriteLine($"with {count} more circuits (Generate page, interactive, opened in {opened.Elapsed.TotalSeconds:0} s): resident {MiB(after.ResidentBytes):0.0} MiB, managed {MiB(after.ManagedBytes):0.0} MiB");
        Console.WriteLine($"per circuit: managed {KiB(after.ManagedBytes - before.ManagedBytes) / count:0} KiB, resident {KiB(after.ResidentBytes - before.ResidentBytes) / count:0} KiB (goal <= 1 MB)");
        if (byType)
        {
            Console.WriteLine("managed growth per circuit by type (shallow sizes):");
            foreach (var (type, objects, bytes) in after.GrowthSince(before, 30))
            {
                Console.WriteLine($"  {bytes / 1024.0 / count,8:0.0} KiB {objects / (double)count,8:0.0} objects  {type}");
            }
        }
    }

    private static double MiB(long bytes) => bytes / 1024.0 / 1024.0;

    private static double KiB(long bytes) => bytes / 1024.0;
}
