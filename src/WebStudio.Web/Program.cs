using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WebStudio.Data;
using WebStudio.Studio;
using WebStudio.Web;
using WebStudio.Web.Accounts;
using WebStudio.Web.Accounts.SingleSignOn;
using WebStudio.Web.Admin;
using WebStudio.Web.Api;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;
using WebStudio.Web.Components;
using WebStudio.Web.Editing;
using WebStudio.Studio.Editing;
using WebStudio.Web.Endpoints;
using WebStudio.Web.Engine;
using WebStudio.Studio.Engine;
using WebStudio.Web.Galleries;
using WebStudio.Studio.Galleries;
using WebStudio.Web.Hubs;
using WebStudio.Web.ModelManagement;
using WebStudio.Web.Refine;
using WebStudio.Web.Operations;
using WebStudio.Web.Security;
using WebStudio.Web.Usage;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.UseStudioSettingsFile();

// Without this, `dotnet run` outside Development serves _framework/ and _content/ (MudBlazor) as errors.
builder.WebHost.UseStaticWebAssets();

// Run from a build (not a publish), MapStaticAssets watches wwwroot for edits and serves every asset "no-cache",
// fingerprinted ones too: each visit then revalidated the scripts and downloaded MudBlazor's 600 KB of CSS again
// before the first paint (issue 20, History). The studio's own files live in wwwroot-assets (StudioAssets), so the
// fingerprinted assets keep their "immutable" year; a setting of the key still wins.
builder.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";

if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5000");
}

builder.AddStudio();
builder.AddImagesApi();
builder.Services.AddStudioDataProtection();
builder.Services.AddErrorResponses();

if (ApiKeyCommand.IsRequested(args) || ModelsCommand.IsRequested(args))
{
    // The commands print their results alone on stdout, for scripts (KEY=$(...)); every log line goes to stderr.
    builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
}

var app = builder.Build();

if (ModelsCommand.IsRequested(args))
{
    // The model manager needs no database: it runs before the migrations.
    using var interrupt = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; interrupt.Cancel(); };
    Environment.ExitCode = await ModelsCommand.RunAsync(app.Services, args[1..], Console.Out, Console.Error, interrupt.Token);
    return;
}

using (var scope = app.Services.CreateScope())
{
    var factory = scope.ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<StudioDbContext>>();
    using var db = factory.CreateDbContext();
    StudioDatabase.MigrateAndConfigure(db);
    WebStudio.Studio.Team.StudioRoleSeeder.Seed(db);
}

if (ApiKeyCommand.IsRequested(args))
{
    Environment.ExitCode = await ApiKeyCommand.RunAsync(app.Services, args);
    return;
}

app.UseSecurityHeaders();
app.UseErrorResponses();

// Browser scripts and styles of the repository's wwwroot-assets/ folder (copied beside the binaries), public.
app.UseStaticFiles(StudioAssets.StaticFiles());

app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapHealthEndpoints();
app.MapStudioMetrics();
app.MapStudioEndpoints();
app.MapImagesApi();
app.MapHistoryGalleriesAndSharing();
app.MapEditing();
app.MapRefine();
app.MapAdminEndpoints();
app.MapModelUpload();
app.MapHub<JobsHub>(JobsHub.Path);
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapAccountEndpoints();
app.MapSingleSignOn();
app.MapUsageExport();

app.Lifetime.ApplicationStarted.Register(() =>
{
    var engine = app.Services.GetRequiredService<IGenerationEngine>();
    var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
    app.Logger.LogInformation("Execution provider: {Provider}", engine.DescribeExecutionProvider());
    foreach (var address in addresses)
    {
        Console.WriteLine($"WebStudio is running at {address}");
    }
});

app.Run();

/// <summary>Entry point; public so that integration tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
