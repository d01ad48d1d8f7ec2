using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using WebStudio.Data;

namespace WebStudio.Migrations.Postgres;

/// <summary>
/// Lets `dotnet ef migrations add --project migrations-postgres` build the PostgreSQL model without starting the
/// web app. Adding a migration never connects, so the connection string only has to be well formed.
/// </summary>
public sealed class StudioDbContextPostgresDesignFactory : IDesignTimeDbContextFactory<StudioDbContext>
{
    public StudioDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<StudioDbContext>();
        options.UseStudioPostgres("Host=127.0.0.1;Database=webstudio_design_time");
        return new StudioDbContext(options.Options);
    }
}
