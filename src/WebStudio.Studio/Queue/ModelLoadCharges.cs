namespace WebStudio.Studio.Queue;

/// <summary>
/// The model loads ahead in the queue, for its ETAs: the first job of a model that no live worker holds waits for the
/// model's load (<see cref="WorkRates.Loads"/>), and the jobs after it find the model loaded. Jobs are charged in run
/// order, running ones first. One load per model: a queue that alternates between more models than a worker keeps
/// loaded (Generation:MaxLoadedModels) reloads more often than this counts.
/// </summary>
/// <param name="loads">Each model's measured load time.</param>
/// <param name="held">The models that live workers hold now (their heartbeats' loaded models).</param>
public sealed class ModelLoadCharges(IReadOnlyDictionary<string, TimeSpan> loads, IEnumerable<string> held)
{
    private readonly HashSet<string> _held = new(held, StringComparer.Ordinal);

    /// <summary>The load that the next job of <paramref name="model"/> in run order waits for: the model's load time
    /// if no worker holds it yet, and nothing for every later job of it.</summary>
    public TimeSpan ChargeFor(string model) =>
        _held.Add(model) && loads.TryGetValue(model, out var load) ? load : TimeSpan.Zero;

    /// <summary>A running job's load, by its progress: one that has made a step has its model loaded.</summary>
    public TimeSpan ChargeForRunning(string model, int step)
    {
        if (step > 0)
        {
            _held.Add(model);
        }

        return ChargeFor(model);
    }

    /// <summary>The models with a load time that no worker holds: those whose first queued job pays a load.</summary>
    public IReadOnlyList<string> Unheld => [.. loads.Keys.Where(m => !_held.Contains(m))];

    /// <summary>
    /// The loads up to and including run position <paramref name="position"/>, given the position of each model's
    /// first queued job (<see cref="QueueOrderSql.FirstPositions"/>): for a member's view, whose work ahead the
    /// database sums without the loads.
    /// </summary>
    public TimeSpan UpTo(int position, IReadOnlyDictionary<string, int> firstPositions) =>
        Unheld.Where(m => firstPositions.TryGetValue(m, out var first) && first <= position)
            .Aggregate(TimeSpan.Zero, (sum, m) => sum + loads[m]);
}
