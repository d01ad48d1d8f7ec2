namespace WebStudio.Data;

/// <summary>The engines the studio can store its data in (<c>Studio:Database</c>).</summary>
public enum StudioDatabaseProvider
{
    /// <summary>One file beside the app (<c>Studio:DatabasePath</c>): the default, nothing else to install.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (<c>Studio:ConnectionString</c>), shared by several processes and machines.</summary>
    Postgres,
}
