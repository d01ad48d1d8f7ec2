using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace WebStudio.Data;

/// <summary>How the studio opens its database: one place, so the web app, tools and tests configure it alike.</summary>
public static class StudioDatabase
{
    public const string MigrationsAssembly = "WebStudio.Migrations";

    /// <summary>A SQLite connection string for <paramref name="path"/>, with a busy timeout so concurrent writers wait instead of failing.</summary>
    public static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public static DbContextOptionsBuilder UseStudioSqlite(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(MigrationsAssembly)).AddInterceptors(SqliteBusyTimeout.Instance);

    /// <summary>
    /// Applies pending migrations and switches the file to WAL, so readers (pages, previews) never block the
    /// workers' writes and a crash leaves a consistent file.
    /// </summary>
    public static void MigrateAndConfigure(StudioDbContext db)
    {
        var dataSource = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        db.Database.Migrate();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }
}
