using System.Collections.Concurrent;

namespace WebStudio.Studio.ModelManagement;

/// <summary>The installs in progress and how far each is, for pages: a singleton that pages subscribe to (with
/// InvokeAsync) and unsubscribe from when disposed. An install goes on when the page that started it closes.</summary>
public sealed class ModelInstallNotifier
{
    private readonly ConcurrentDictionary<string, ModelInstallProgress> _latest = new(StringComparer.Ordinal);

    public event Action<ModelInstallProgress>? Changed;

    /// <summary>The last report of each install since the studio started (finished ones too, until the next of the same name).</summary>
    public IReadOnlyList<ModelInstallProgress> Latest => [.. _latest.Values.OrderBy(p => p.Model, StringComparer.Ordinal)];

    public void Publish(ModelInstallProgress progress)
    {
        _latest[progress.Model] = progress;
        Changed?.Invoke(progress);
    }
}
