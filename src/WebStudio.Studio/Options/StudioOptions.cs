namespace WebStudio.Studio.Options;

/// <summary>The "Studio" section of appsettings.json.</summary>
public sealed class StudioOptions
{
    public const string Section = "Studio";

    /// <summary><c>Sqlite</c> (the default: <see cref="DatabasePath"/>) or <c>Postgres</c> (<see cref="ConnectionString"/>).</summary>
    public string Database { get; set; } = "Sqlite";

    /// <summary>The PostgreSQL connection string when <see cref="Database"/> is <c>Postgres</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>SQLite database file; relative paths resolve against the current directory (the repository root).</summary>
    public string DatabasePath { get; set; } = "./data/webstudio.db";

    /// <summary>Folder of the dynamic prompts' wildcards (<c>colors.txt</c> is <c>__colors__</c>, an option a line);
    /// relative paths resolve against the current directory (the repository root).</summary>
    public string WildcardsPath { get; set; } = "./wildcards";

    /// <summary>When false, only the very first account (the administrator) can register.</summary>
    public bool AllowRegistration { get; set; } = true;
}
