using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace WebStudio.Data;

/// <summary>How the studio opens its database: one place, so the web app, tools and tests configure it alike.</summary>
public static class StudioDatabase
{
    public const string MigrationsAssembly = "WebStudio.Migrations";

    /// <summary>PostgreSQL has migrations of its own: each provider's SQL and types differ.</summary>
    public const string PostgresMigrationsAssembly = "WebStudio.Migrations.Postgres";

    /// <summary>
    /// Reads <c>Studio:Database</c>: empty means SQLite (the default); anything but Sqlite or Postgres is refused
    /// with a message that names the setting, so a typo stops the start instead of opening the wrong database.
    /// </summary>
    public static StudioDatabaseProvider ParseProvider(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return StudioDatabaseProvider.Sqlite;
        }

        if (name.Trim() is var trimmed && (trimmed.Equals("Postgres", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase)))
        {
            return StudioDatabaseProvider.Postgres;
        }

        throw new InvalidOperationException($"Studio:Database is '{name}': use Sqlite (the default, with Studio:DatabasePath) or Postgres (with Studio:ConnectionString).");
    }

    /// <summary>
    /// The database the settings choose: SQLite at <paramref name="sqlitePath"/>, or PostgreSQL with
    /// <paramref name="connectionString"/>. Throws a start-up error naming the setting when one is missing or invalid.
    /// </summary>
    public static DbContextOptionsBuilder UseStudioDatabase(this DbContextOptionsBuilder options, string? provider, string? connectionString, string sqlitePath) =>
        ParseProvider(provider) switch
        {
            StudioDatabaseProvider.Postgres => options.UseStudioPostgres(CheckedPostgresConnectionString(connectionString)),
            _ => options.UseStudioSqlite(ConnectionString(Path.GetFullPath(sqlitePath))),
        };

    /// <summary>A SQLite connection string for <paramref name="path"/>, with a busy timeout so concurrent writers wait instead of failing.</summary>
    public static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public static DbContextOptionsBuilder UseStudioSqlite(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(MigrationsAssembly)).AddInterceptors(SqliteBusyTimeout.Instance).WithStudioWarnings();

    public static DbContextOptionsBuilder UseStudioPostgres(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly)).WithStudioWarnings();

    // Soft-deleted jobs hide their previews' and gallery places' required principal on purpose: those rows are then
    // left out too (SoftDeleteConfiguration), which is what EF's warning about this pairing asks us to confirm. Set
    // here, not in OnConfiguring, which pooled context factories refuse.
    private static DbContextOptionsBuilder WithStudioWarnings(this DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Ignore(CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));

    /// <summary>Where the data lives, for start-up logs: the SQLite file, or PostgreSQL's host and database (never the password).</summary>
    public static string Describe(StudioDbContext db)
    {
        if (db.Database.IsNpgsql())
        {
            var builder = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
            return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        }

        return "SQLite " + new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
    }

    /// <summary>
    /// Applies pending migrations. SQLite: creates the file's folder first, and switches the file to WAL, so
    /// readers (pages, previews) never block the workers' writes and a crash leaves a consistent file.
    /// </summary>
    public static void MigrateAndConfigure(StudioDbContext db)
    {
        if (db.Database.IsNpgsql())
        {
            // On an empty database Npgsql logs one failed read of __EFMigrationsHistory before creating it: expected
            // (npgsql/efcore.pg#3407), not a fault.
            db.Database.Migrate();
            return;
        }

        var dataSource = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        db.Database.Migrate();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }

    private static string CheckedPostgresConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "Studio:Database is Postgres but Studio:ConnectionString is empty: set it, e.g. \"Host=127.0.0.1;Port=5432;Database=webstudio;Username=webstudio;Password=...\".");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"Studio:ConnectionString is not a valid PostgreSQL connection string: {ex.Message}", ex);
        }

        return connectionString;
    }
}
