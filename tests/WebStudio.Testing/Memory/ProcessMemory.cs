using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;

namespace WebStudio.Testing.Memory;

/// <summary>
/// What another .NET process (the studio server) holds, measured from outside it, for the memory-per-circuit figure
/// and its test. <see cref="MeasureAsync"/> first induces a full blocking GC in it over EventPipe (as dotnet-gcdump
/// does), then reads its resident set (managed and native) and walks its managed heap from the roots with ClrMD: the
/// managed figure counts only objects still reachable, so garbage the GC has not reclaimed yet never inflates it.
/// </summary>
public static class ProcessMemory
{
    // Microsoft-Windows-DotNETRuntime's GC (0x1) and GCHeapCollect (0x800000) keywords: enabling the latter makes the
    // runtime run a full blocking collection.
    private const long GcKeywords = 0x1 | 0x800000;

    /// <summary>A full GC, then the resident set and the reachable managed objects by type.</summary>
    public static async Task<MemorySnapshot> MeasureAsync(int processId)
    {
        // Twice: objects with finalizers survive the first collection and go with the second.
        await CollectAsync(processId);
        await CollectAsync(processId);
        var resident = ResidentBytes(processId);
        var byType = ReachableByType(processId);
        return new MemorySnapshot(resident, byType);
    }

    /// <summary>Induces a full blocking GC in the process and waits for it.</summary>
    public static async Task CollectAsync(int processId)
    {
        var client = new DiagnosticsClient(processId);
        using var session = client.StartEventPipeSession(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeywords)], requestRundown: false);
        var drain = session.EventStream.CopyToAsync(Stream.Null);
        // The collection runs when the session starts; a moment lets it finish before the session ends.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await session.StopAsync(CancellationToken.None);
        await drain;
    }

    /// <summary>VmRSS of /proc/PID/status, in bytes.</summary>
    public static long ResidentBytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    // Marks from the GC roots (stacks, strong and pinned handles, the finalizer queue) through every reference.
    private static Dictionary<string, TypeTotal> ReachableByType(int processId)
    {
        using var target = DataTarget.AttachToProcess(processId, suspend: true);
        var clr = target.ClrVersions.Single();
        // The DAC ships beside the runtime the process loaded (no symbol server here); ClrMD cannot read that runtime's
        // version from a live process on Linux (it sees 0.0), so the match is the folder's, not a version check.
        using var runtime = clr.CreateRuntime(Path.Combine(Path.GetDirectoryName(clr.ModuleInfo.FileName)!, "libmscordaccore.so"), ignoreMismatch: true);
        var heap = runtime.Heap;
        var seen = new HashSet<ulong>();
        var pending = new Stack<ulong>();
        foreach (var root in heap.EnumerateRoots())
        {
            if (root.Object.Address != 0 && seen.Add(root.Object.Address))
            {
                pending.Push(root.Object.Address);
            }
        }

        var totals = new Dictionary<string, TypeTotal>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var item = heap.GetObject(pending.Pop());
            if (!item.IsValid)
            {
                continue;
            }

            var name = item.Type?.Name ?? "?";
            totals[name] = totals.TryGetValue(name, out var sum) ? new TypeTotal(sum.Count + 1, sum.Bytes + (long)item.Size) : new TypeTotal(1, (long)item.Size);
            foreach (var reference in item.EnumerateReferenceAddresses(carefully: true, considerDependantHandles: true))
            {
                if (reference != 0 && seen.Add(reference))
                {
                    pending.Push(reference);
                }
            }
        }

        return totals;
    }
}

/// <summary>Objects of one type: how many, and their own (shallow) bytes.</summary>
public readonly record struct TypeTotal(long Count, long Bytes);

/// <summary>A process's memory after a full GC: resident bytes, and the reachable managed objects by type.</summary>
public sealed record MemorySnapshot(long ResidentBytes, IReadOnlyDictionary<string, TypeTotal> ByType)
{
    public long ManagedBytes { get; } = ByType.Values.Sum(t => t.Bytes);

    /// <summary>The types that grew most from <paramref name="before"/> to this snapshot, largest growth first.</summary>
    public IReadOnlyList<(string Type, long Count, long Bytes)> GrowthSince(MemorySnapshot before, int top, bool byCount = false) =>
        ByType.Select(t => (t.Key, t.Value.Count - before.ByType.GetValueOrDefault(t.Key).Count, t.Value.Bytes - before.ByType.GetValueOrDefault(t.Key).Bytes))
            .OrderByDescending(t => byCount ? t.Item2 : t.Item3)
            .Take(top)
            .ToList();
}
