namespace WebStudio.Data;

/// <summary>The metadata of one finished image; the PNG itself is a file in the storage folder.</summary>
public sealed class GeneratedImage
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid JobId { get; set; }
    public GenerationJob? Job { get; set; }

    public string OwnerId { get; set; } = "";

    /// <summary>Position in the job's batch (0-based).</summary>
    public int Index { get; set; }

    public long Seed { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }

    /// <summary>File name relative to the storage folder (never a path from user input).</summary>
    public string FileName { get; set; } = "";

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>Set with its job's <see cref="GenerationJob.DeletedAt"/>, so that every image query (galleries, share
    /// pages, the API) hides it without a join.</summary>
    public DateTime? DeletedAt { get; set; }
}
