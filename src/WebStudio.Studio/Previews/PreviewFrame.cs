namespace WebStudio.Studio.Previews;

/// <summary>
/// What a watcher of a job receives: progress, status, and the newest preview PNG (latent resolution; the browser
/// scales it smoothly). <paramref name="Step"/> counts finished steps (1..TotalSteps).
/// </summary>
public sealed record PreviewFrame(int Step, int TotalSteps, string Status, byte[]? Png);

/// <summary>A job's live state as components see it: no image bytes, so nothing heavy stays in a circuit.</summary>
public sealed record JobLiveState(Guid JobId, string Status, int Step, int TotalSteps);
