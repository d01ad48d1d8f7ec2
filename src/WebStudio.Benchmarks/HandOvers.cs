using WebStudio.Testing;

namespace WebStudio.Benchmarks;

/// <summary>
/// Hand-over: on one worker, the next job's start minus the previous job's end, counted only where the next job was
/// already queued when the previous one ended (otherwise the worker was idle, and the gap is no hand-over).
/// </summary>
public static class HandOvers
{
    public static IReadOnlyList<double> Ms(IEnumerable<EndedJob> jobs) =>
    [
        .. jobs.GroupBy(j => j.WorkerId)
            .SelectMany(worker =>
            {
                var order = worker.OrderBy(j => j.Started).ToList();
                return order.Zip(order.Skip(1))
                    .Where(pair => pair.Second.Created <= pair.First.Finished)
                    .Select(pair => (pair.Second.Started - pair.First.Finished).TotalMilliseconds);
            }),
    ];

    public static string Describe(IReadOnlyCollection<double> ms) =>
        $"{Percentiles.Describe(ms, "0")}, mean {(ms.Count == 0 ? double.NaN : ms.Average()):0} ms; p99 <= 20 ms: {(ms.Count > 0 && Percentiles.Of(ms, 99) <= 20 ? "PASS" : "FAIL")}";
}
