namespace WebStudio.Studio.ModelManagement;

/// <summary>The "Models" section of appsettings.json: where the model manager installs from, and its limits.</summary>
public sealed class ModelManagerOptions
{
    public const string Section = "Models";

    /// <summary>The Hugging Face Hub (or a mirror of its HTTP API) that repository ids are installed from.</summary>
    public string HubEndpoint { get; set; } = "https://huggingface.co";

    /// <summary>The Hub token sent as a Bearer header; none: the HF_TOKEN environment variable, where set.</summary>
    public string? HubToken { get; set; }

    /// <summary>Most bytes a zip may unpack to (its entries' sizes, and the bytes actually written).</summary>
    public long MaxZipBytes { get; set; } = 64L * 1024 * 1024 * 1024;

    /// <summary>Most entries a zip may hold.</summary>
    public int MaxZipEntries { get; set; } = 10_000;

    /// <summary>Bytes kept free beyond the model's own size when installing.</summary>
    public long FreeSpaceMargin { get; set; } = 64L * 1024 * 1024;

    /// <summary>Attempts per file when a download is cut off (each resumes where the last one stopped).</summary>
    public int DownloadAttempts { get; set; } = 5;

    public string? Token => !string.IsNullOrWhiteSpace(HubToken) ? HubToken : Environment.GetEnvironmentVariable("HF_TOKEN") is { Length: > 0 } env ? env : null;
}
