namespace WebStudio.Studio.Options;

/// <summary>The "Studio" section of appsettings.json.</summary>
public sealed class StudioOptions
{
    public const string Section = "Studio";

    /// <summary>SQLite database file; relative paths resolve against the current directory (the repository root).</summary>
    public string DatabasePath { get; set; } = "./data/webstudio.db";

    /// <summary>When false, only the very first account (the administrator) can register.</summary>
    public bool AllowRegistration { get; set; } = true;
}
