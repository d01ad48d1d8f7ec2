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
    private const int WarmCircuits = 3;

    public static async Task RunAsync(int serverProcessId, Uri baseAddress, string email, string password, int count, bool byType)
    {
        Console.WriteLine();
        Console.WriteLine("## server memory per circuit (after a full GC; resident = VmRSS, managed + native; managed = objects reachable from the GC roots)");
        var opened = Stopwatch.StartNew();
        await using var circuits = await StudioCircuits.OpenAsync(baseAddress, email, password, WarmCircuits);
        var warm = await SettledAsync(serverProcessId);
        Console.WriteLine($"with {WarmCircuits} warm-up circuits: resident {MiB(warm.ResidentBytes):0.0} MiB, managed {MiB(warm.ManagedBytes):0.0} MiB");

        // In two halves: pools and caches that grow once with the first circuits land mostly in the first half, so
        // the second half's slope is the cost of one more circuit.
        var half = count / 2;
        await circuits.AddAsync(half);
        var before = await SettledAsync(serverProcessId);
        await circuits.AddAsync(count - half);
        var after = await SettledAsync(serverProcessId);
        Console.WriteLine($"with {count} more circuits (Generate page, interactive, opened in {opened.Elapsed.TotalSeconds:0} s): resident {MiB(after.ResidentBytes):0.0} MiB, managed {MiB(after.ManagedBytes):0.0} MiB");
        Console.WriteLine($"per circuit over all {count}: managed {KiB(after.ManagedBytes - warm.ManagedBytes) / count:0} KiB, resident {KiB(after.ResidentBytes - warm.ResidentBytes) / count:0} KiB");
        count -= half;
        Console.WriteLine($"per circuit over the last {count}: managed {KiB(after.ManagedBytes - before.ManagedBytes) / count:0} KiB, resident {KiB(after.ResidentBytes - before.ResidentBytes) / count:0} KiB (goal <= 1 MB)");
        if (byType)
        {
            Console.WriteLine("managed growth per circuit by type (shallow sizes):");
            foreach (var (type, objects, bytes) in after.GrowthSince(before, 30))
            {
                Console.WriteLine($"  {bytes / 1024.0 / count,8:0.0} KiB {objects / (double)count,8:0.0} objects  {type}");
            }

            // Every component costs its state, two render trees and a builder: which components a circuit holds.
            Console.WriteLine("components per circuit:");
            foreach (var (type, objects, _) in after.GrowthSince(before, 400, byCount: true).Where(t => IsComponent(t.Type)).Take(40))
            {
                Console.WriteLine($"  {objects / (double)count,8:0.0}  {type}");
            }
        }
    }

    private static async Task<MemorySnapshot> SettledAsync(int serverProcessId)
    {
        await Task.Delay(TimeSpan.FromSeconds(2)); // the last page's late renders and JS calls
        return await ProcessMemory.MeasureAsync(serverProcessId);
    }

    private static bool IsComponent(string type) =>
        (type.StartsWith("MudBlazor.Mud", StringComparison.Ordinal) || type.StartsWith("WebStudio.Web.Components.", StringComparison.Ordinal)
         || type.StartsWith("Microsoft.AspNetCore.Components.", StringComparison.Ordinal)) && !type.Contains("RenderTree", StringComparison.Ordinal);

    private static double MiB(long bytes) => bytes / 1024.0 / 1024.0;

    private static double KiB(long bytes) => bytes / 1024.0;
}
