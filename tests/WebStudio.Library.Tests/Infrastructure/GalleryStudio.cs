using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Library.Tests.Infrastructure;

/// <summary>The studio in-process on its own temporary SQLite file and data folder, running the real engine on the tiny model.</summary>
public sealed class GalleryStudio : WebApplicationFactory<Program>
{
    private readonly TempFolder _folder = new();

    public string DataPath => _folder.Path;

    public string ImagesPath => Path.Combine(_folder.Path, "images");

    public string ThumbsPath => Path.Combine(_folder.Path, "thumbs");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Studio:DatabasePath"] = Path.Combine(_folder.Path, "studio.db"),
            ["Storage:ImagesPath"] = ImagesPath,
            ["Generation:ModelsPath"] = TinyModelFolders.Shared.ModelsPath,
            ["Generation:DefaultModel"] = "tiny",
            ["Generation:UseCuda"] = "false",
            ["Queue:PollInterval"] = "00:00:00.200",
            ["Queue:SubmissionsPerMinute"] = "1000",
            ["Queue:MaxQueuedPerUser"] = "50",
            ["Logging:LogLevel:Default"] = "Warning",
        }));
    }

    public StudioDbContext OpenDatabase() => Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _folder.Dispose();
        }
    }
}
