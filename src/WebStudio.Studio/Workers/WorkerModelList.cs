using Microsoft.Extensions.Options;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Workers;

/// <summary>
/// The names of the models this process's workers can run, for their heartbeats. Listing them reads every model
/// folder, and the list changes only when the models folder does: a watcher on it marks the list stale, and it is
/// listed again at the next beat, not on every one. Without a models folder (nothing to watch yet) it is listed on
/// every read until the folder appears.
/// </summary>
public sealed class WorkerModelList : IDisposable
{
    private readonly IGenerationEngine _engine;
    private readonly string _folder;
    private readonly Lock _gate = new();
    private FileSystemWatcher? _watcher;
    private IReadOnlyList<string>? _names; // null: stale
    private long _changes;

    public WorkerModelList(IGenerationEngine engine, IOptions<GenerationOptions> options)
    {
        _engine = engine;
        _folder = Path.GetFullPath(options.Value.ModelsPath);
    }

    public IReadOnlyList<string> Names
    {
        get
        {
            long seen;
            lock (_gate)
            {
                if (_names is { } cached)
                {
                    return cached;
                }

                Watch();
                seen = _changes;
            }

            // Listed outside the lock, so that the watcher's events do not wait for it.
            var names = _engine.Models().Select(m => m.Name).ToList();
            lock (_gate)
            {
                // Kept only while watched and unchanged since the listing began: a change during it lists again.
                if (_watcher is not null && _changes == seen)
                {
                    _names = names;
                }
            }

            return names;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _watcher?.Dispose();
            _watcher = null;
        }
    }

    // Starts the watcher once the folder exists (called under the lock); without it the list is not kept.
    private void Watch()
    {
        if (_watcher is not null || !Directory.Exists(_folder))
        {
            return;
        }

        try
        {
            var watcher = new FileSystemWatcher(_folder)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.DirectoryName | NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            watcher.Created += (_, _) => MarkStale();
            watcher.Deleted += (_, _) => MarkStale();
            watcher.Changed += (_, _) => MarkStale();
            watcher.Renamed += (_, _) => MarkStale();
            watcher.Error += (_, _) => MarkStale(); // events lost: list again
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // e.g. out of inotify watches: listed on every beat, as before
        }
    }

    private void MarkStale()
    {
        lock (_gate)
        {
            _names = null;
            _changes++;
        }
    }
}
