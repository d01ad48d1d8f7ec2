using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Studio.Options;
using WebStudio.Studio.Storage;

namespace WebStudio.Tests.Shared;

/// <summary>
/// The studio's image store, whose writes for a given prompt wait at a gate (<see cref="Hold"/>) or fail as a full
/// disk would (<see cref="Break"/>): a store that takes its time or breaks, so that tests can watch what a worker does
/// meanwhile. Other writes go straight through. A job's prompt is known by the A1111 text each image carries, which
/// starts with it. Replace the host's ImageStore with it (StudioHostOptions.Services).
/// </summary>
public sealed class GatedImageStore(IOptions<StorageOptions> options) : ImageStore(options)
{
    private readonly ConcurrentDictionary<string, Gate> _held = new();
    private readonly ConcurrentDictionary<string, bool> _broken = new();

    /// <summary>From now on, writes of <paramref name="prompt"/>'s images wait until <see cref="Release"/>.</summary>
    public void Hold(string prompt) => _held.TryAdd(prompt, new Gate());

    public void Release(string prompt) => _held[prompt].Open.TrySetResult();

    /// <summary>Completes when a write of <paramref name="prompt"/>'s images waits at its gate.</summary>
    public Task Waiting(string prompt) => _held[prompt].Entered.Task;

    /// <summary>From now on, writes of <paramref name="prompt"/>'s images fail with an IOException.</summary>
    public void Break(string prompt) => _broken[prompt] = true;

    public override async Task<string> SaveAsync(Guid imageId, DateTime createdAt, Image<Rgb24> image, string parameters, CancellationToken cancellationToken)
    {
        var prompt = parameters.Split('\n')[0];
        if (_held.TryGetValue(prompt, out var gate))
        {
            gate.Entered.TrySetResult();
            await gate.Open.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }

        if (_broken.ContainsKey(prompt))
        {
            throw new IOException("No space left on device");
        }

        return await base.SaveAsync(imageId, createdAt, image, parameters, cancellationToken);
    }

    private sealed class Gate
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
