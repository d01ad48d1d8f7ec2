using System.Text.Json.Serialization;

namespace WebStudio.Studio.Previews;

/// <summary>
/// What a watcher of a job receives: progress, status, and the newest preview picture (latent resolution; the
/// browser scales it smoothly). <paramref name="Step"/> counts finished steps (1..TotalSteps).
/// </summary>
public sealed record PreviewFrame(int Step, int TotalSteps, string Status, [property: JsonIgnore] PreviewImage? Image)
{
    /// <summary>A frame read from the wire (a .NET SignalR client).</summary>
    [JsonConstructor]
    public PreviewFrame(int step, int totalSteps, string status, byte[]? png, string? type)
        : this(step, totalSteps, status, png is null ? null : PreviewImage.FromEncoded(png))
    {
    }

    /// <summary>The encoded picture (JPEG from this process's worker; a relayed frame keeps its own format, see
    /// <see cref="Type"/>). The name is the wire's, kept for its clients. Encoded once, when first read.</summary>
    public byte[]? Png => Image?.Bytes;

    /// <summary>The media type of <see cref="Png"/>.</summary>
    public string? Type => Image?.MediaType;
}

/// <summary>A job's live state as components see it: no image bytes, so nothing heavy stays in a circuit.</summary>
public sealed record JobLiveState(Guid JobId, string Status, int Step, int TotalSteps);
