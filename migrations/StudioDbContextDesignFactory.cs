using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using WebStudio.Data;

namespace WebStudio.Migrations;

/// <summary>Lets `dotnet ef migrations add` build the context without starting the web app.</summary>
public sealed class StudioDbContextDesignFactory : IDesignTimeDbContextFactory<StudioDbContext>
{
    public StudioDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<StudioDbContext>();
        options.UseStudioSqlite(StudioDatabase.ConnectionString("design-time.db"));
        return new StudioDbContext(options.Options);
    }
}
