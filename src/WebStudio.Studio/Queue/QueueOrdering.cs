using WebStudio.Studio.Options;

namespace WebStudio.Studio.Queue;

/// <summary>What the dispatcher needs to know of a queued job.</summary>
public sealed record QueuedJobInfo(Guid Id, string OwnerId, DateTime CreatedAt, long Priority, int Steps, int BatchSize);

/// <summary>
/// The order in which queued jobs will run. The dispatcher takes the head; the queue page and ETAs use the whole
/// order. Jobs moved to the front come first (highest priority, then oldest). Then, under the fair policy, it
/// repeatedly takes the oldest job of the user served least recently (never-served users first, ties broken by
/// who has the oldest job), so each user's n-th job runs before anyone's (n+1)-th.
/// </summary>
public static class QueueOrdering
{
    public static IReadOnlyList<QueuedJobInfo> Order(
        IEnumerable<QueuedJobInfo> queued, IReadOnlyDictionary<string, DateTime> lastServed, QueuePolicy policy)
    {
        var all = queued.ToList();
        var ordered = all.Where(j => j.Priority > 0)
            .OrderByDescending(j => j.Priority).ThenBy(j => j.CreatedAt).ThenBy(j => j.Id)
            .ToList();
        var rest = all.Where(j => j.Priority <= 0).OrderBy(j => j.CreatedAt).ThenBy(j => j.Id).ToList();
        if (policy == QueuePolicy.Fifo)
        {
            ordered.AddRange(rest);
            return ordered;
        }

        // Simulated service times: real ones from the database, then a counter for jobs served in this simulation.
        var served = new Dictionary<string, (DateTime At, long Tick)>(StringComparer.Ordinal);
        foreach (var (user, at) in lastServed)
        {
            served[user] = (at, 0);
        }

        long tick = 0;
        foreach (var job in ordered)
        {
            served[job.OwnerId] = (DateTime.MaxValue, ++tick);
        }

        var perUser = rest.GroupBy(j => j.OwnerId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new Queue<QueuedJobInfo>(g), StringComparer.Ordinal);
        while (perUser.Count > 0)
        {
            var next = perUser
                .Select(p => (User: p.Key, Head: p.Value.Peek(), Served: served.TryGetValue(p.Key, out var s) ? s : (At: DateTime.MinValue, Tick: 0L)))
                .OrderBy(c => c.Served.At).ThenBy(c => c.Served.Tick).ThenBy(c => c.Head.CreatedAt).ThenBy(c => c.Head.Id)
                .First();
            ordered.Add(perUser[next.User].Dequeue());
            served[next.User] = (DateTime.MaxValue, ++tick);
            if (perUser[next.User].Count == 0)
            {
                perUser.Remove(next.User);
            }
        }

        return ordered;
    }
}
