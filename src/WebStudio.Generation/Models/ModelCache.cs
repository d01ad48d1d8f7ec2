using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WebStudio.Generation.Models;

/// <summary>
/// Loads each model once and shares it between jobs. At most <see cref="MaxLoadedModels"/> stay loaded, and, when
/// <see cref="MemoryBudgetBytes"/> is set, no more than fit in it: when another is needed, the least recently used ones
/// are dropped, and their sessions are freed once the last job renting each ends. A job for a dropped model simply
/// loads it again.
/// </summary>
public sealed class ModelCache : IDisposable
{
    private readonly ModelCatalog _catalog;
    private readonly ModelLoadOptions _options;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _clock;

    /// <param name="memoryBudgetBytes">Most bytes of model files (see <see cref="EstimateBytes"/>) to keep loaded; 0 = no budget.
    /// The model being rented always loads, even when it alone exceeds the budget.</param>
    public ModelCache(ModelCatalog catalog, ModelLoadOptions options, ILogger<ModelCache>? logger = null, int maxLoadedModels = 2,
        long memoryBudgetBytes = 0)
    {
        _catalog = catalog;
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        MaxLoadedModels = Math.Max(1, maxLoadedModels);
        MemoryBudgetBytes = Math.Max(0, memoryBudgetBytes);
    }

    public int MaxLoadedModels { get; }

    public long MemoryBudgetBytes { get; }

    /// <summary>
    /// A loaded model's memory, estimated from its graphs on disk (model.onnx files and their external weights).
    /// Measured at SD 1.5 scale, ONNX Runtime's resident growth on CPU is within about 15% of this for fp32 weights.
    /// </summary>
    public static long EstimateBytes(string folder) => Directory.Exists(folder)
        ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(p => Path.GetExtension(p) is ".onnx" or ".onnx_data" or ".pb")
            .Sum(p => new FileInfo(p).Length)
        : 0;

    public ModelCatalog Catalog => _catalog;

    /// <summary>Names of the models held now, most recently used first.</summary>
    public IReadOnlyList<string> Loaded
    {
        get
        {
            lock (_gate)
            {
                return _entries.OrderByDescending(e => e.Value.LastUsed).Select(e => e.Key).ToList();
            }
        }
    }

    /// <summary>How long the model called <paramref name="name"/> took to load, while it is loaded; null otherwise.</summary>
    public TimeSpan? LoadTimeOf(string name)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(name, out var entry) && entry.Lazy.IsValueCreated ? entry.LoadTime : null;
        }
    }

    /// <summary>
    /// Rents the model called <paramref name="name"/>, loading it first if needed; dispose the lease when the job
    /// ends. Throws <see cref="ModelNotFoundException"/> or <see cref="ModelLoadException"/>.
    /// </summary>
    public ModelLease Rent(string name)
    {
        var folder = _catalog.ResolveFolder(name);
        var estimate = MemoryBudgetBytes > 0 ? EstimateBytes(folder) : 0;
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(name, out entry!))
            {
                entry = new Entry(name, () => StableDiffusionModel.Load(folder, _options, _logger), estimate);
                _entries[name] = entry;
            }

            entry.LastUsed = ++_clock;
            entry.Renters++;
            EvictBeyondLimit(name);
        }

        try
        {
            return new ModelLease(entry.Lazy.Value, () => Release(entry));
        }
        catch
        {
            lock (_gate)
            {
                entry.Renters--;
                if (_entries.TryGetValue(name, out var current) && current == entry)
                {
                    _entries.Remove(name); // a later request retries the load (the folder may have been fixed)
                }
            }

            throw;
        }
    }

    private void Release(Entry entry)
    {
        lock (_gate)
        {
            entry.Renters--;
            if (entry.Evicted && entry.Renters == 0)
            {
                Unload(entry);
            }
        }
    }

    private void EvictBeyondLimit(string keep)
    {
        // Least recently used first, until both the count limit and the memory budget are met.
        foreach (var (name, victim) in _entries.Where(e => e.Key != keep).OrderBy(e => e.Value.LastUsed).ToList())
        {
            if (_entries.Count <= MaxLoadedModels && !OverBudget())
            {
                break;
            }

            _entries.Remove(name);
            victim.Evicted = true;
            if (victim.Renters == 0)
            {
                Unload(victim);
            }
        }
    }

    private bool OverBudget() => MemoryBudgetBytes > 0 && _entries.Values.Sum(e => e.EstimatedBytes) > MemoryBudgetBytes;

    private void Unload(Entry entry)
    {
        if (entry.Lazy.IsValueCreated)
        {
            _logger.LogInformation("Unloading model {Model} (least recently used)", entry.Name);
            entry.Lazy.Value.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var entry in _entries.Values)
            {
                Unload(entry);
            }

            _entries.Clear();
        }
    }

    private sealed class Entry
    {
        public Entry(string name, Func<StableDiffusionModel> load, long estimatedBytes)
        {
            Name = name;
            EstimatedBytes = estimatedBytes;
            Lazy = new Lazy<StableDiffusionModel>(() =>
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var model = load();
                LoadTime = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                return model;
            });
        }

        public string Name { get; }
        public Lazy<StableDiffusionModel> Lazy { get; }

        /// <summary>Set once the load has ended.</summary>
        public TimeSpan? LoadTime { get; private set; }
        public long EstimatedBytes { get; }
        public long LastUsed { get; set; }
        public int Renters { get; set; }
        public bool Evicted { get; set; }
    }
}

/// <summary>A job's hold on a loaded model: the model stays loaded until every lease on it is disposed.</summary>
public sealed class ModelLease(StableDiffusionModel model, Action release) : IDisposable
{
    private int _disposed;

    public StableDiffusionModel Model { get; } = model;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            release();
        }
    }
}
