using System.Net;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Team;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebStudio.Studio.ModelManagement;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Components.Pages.Admin;
using WebStudio.Web.Tests.TeamAdmin;

namespace WebStudio.Web.Tests.ModelManagement;

/// <summary>The /admin/models page: the administrator's alone, its table, the live progress of an install from the
/// notifier (and the subscription dropped with the page), and making a model the default.</summary>
[Trait("Capability", "UserModels")]
public sealed class ModelsPageTests
{
    [Fact]
    public async Task The_page_renders_the_models_for_the_administrator_and_is_refused_to_a_member()
    {
        await using var studio = await TeamStudio.StartAsync();
        TinyStableDiffusion.Write(Path.Combine(studio.Host.ModelsPath, StudioHost.Model), TinyModelVariant.DiffusersScript);

        using var admin = await studio.Admin.Http.GetAsync("/admin/models");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        var page = await admin.Content.ReadAsStringAsync();
        Assert.Contains("id=\"models\"", page, StringComparison.Ordinal);
        Assert.Contains($"data-model=\"{StudioHost.Model}\"", page, StringComparison.Ordinal);
        Assert.Contains("model-default", page, StringComparison.Ordinal);
        Assert.Contains("id=\"install-hub\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/models\"", page, StringComparison.Ordinal); // in the admin navigation

        using var member = await studio.Member.Http.GetAsync("/admin/models");
        Assert.Equal(HttpStatusCode.Forbidden, member.StatusCode);
        var home = await (await studio.Member.Http.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("href=\"/admin/models\"", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_install_in_progress_shows_a_live_bar_and_the_page_lets_go_of_the_notifier_when_closed()
    {
        await using var world = new ModelManagerWorld();
        await using var context = NewContext(world);
        var cut = context.Render<ModelsPage>();
        Assert.Empty(cut.FindAll(".model-progress"));

        world.Notifier.Publish(new ModelInstallProgress("big-model", ModelInstallStage.Downloading, 25 * 1024 * 1024, 100 * 1024 * 1024, "unet/model.onnx"));

        cut.WaitForAssertion(() => Assert.Contains("25 MiB of 100 MiB", cut.Find(".model-progress[data-model=big-model]").TextContent, StringComparison.Ordinal));
        Assert.Contains("translateX(-75%)", cut.Find(".model-progress .mud-progress-linear-bar").GetAttribute("style"), StringComparison.Ordinal); // 25% drawn
        Assert.Equal(1, Subscribers(world.Notifier));

        await context.DisposeComponentsAsync();
        Assert.Equal(0, Subscribers(world.Notifier));
    }

    [Fact]
    public async Task Installing_a_folder_from_the_page_lists_it_and_make_default_marks_it()
    {
        await using var world = new ModelManagerWorld();
        await using var context = NewContext(world);
        var cut = context.Render<ModelsPage>();

        cut.Find("#install-folder-path").Change(world.TinyModel);
        cut.Find("#install-folder").Click();
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("DiffusersScript installed (", cut.Find("#models-notice").TextContent, StringComparison.Ordinal);
            Assert.Single(cut.FindAll("tr.model-row"));
        });

        cut.Find("tr.model-row .model-set-default").Click();

        // The click's handler writes the default file before the page shows it: wait for the render.
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".model-default")));
        Assert.Equal(world.Listed[0], world.Generation.DefaultModel);
        var audited = await AuditedAsync(context);
        Assert.Equal(2, audited.Count); // newest first
        Assert.StartsWith($"{Administrator} model.default DiffusersScript: before: ", audited[0], StringComparison.Ordinal);
        Assert.StartsWith($"{Administrator} model.install DiffusersScript: from the folder {world.TinyModel}, ", audited[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instruction_edit_model_is_listed_as_one_with_its_cards_defaults_and_is_not_offered_as_the_default()
    {
        await using var world = new ModelManagerWorld();
        await world.Installer.InstallFolderAsync(world.TinyModel, "pictures");
        var edits = await world.Installer.InstallFolderAsync(TinyModelFolders.Shared.Folder("InstructPix2Pix"), "edits");
        await File.WriteAllTextAsync(Path.Combine(edits.Folder, "card.json"), """{"defaults": {"imageGuidance": 6, "autoMask": 0.3}}""");
        await using var context = NewContext(world);

        var cut = context.Render<ModelsPage>();

        var row = cut.Find("tr.model-row[data-model=edits]");
        Assert.Contains("SD 1.x/2.x · instruction edit", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("image guidance 6, automatic mask 0.3", row.TextContent, StringComparison.Ordinal);
        Assert.Empty(row.QuerySelectorAll(".model-set-default"));
        Assert.Single(cut.Find("tr.model-row[data-model=pictures]").QuerySelectorAll(".model-set-default"));
    }

    [Fact]
    public async Task A_zip_upload_from_the_browser_shows_a_live_bar_then_the_installed_model_or_the_studios_reason()
    {
        await using var world = new ModelManagerWorld();
        await using var context = NewContext(world);
        var cut = context.Render<ModelsPage>();
        cut.Find("#install-name input, input#install-name").Change("my model");

        // The browser's script asks where to send the file, reports its progress, then hands over the endpoint's answer.
        var url = await cut.InvokeAsync(() => cut.Instance.UploadStarting("sd turbo.zip", 200 * 1024 * 1024));
        await cut.InvokeAsync(() => cut.Instance.UploadProgress(50 * 1024 * 1024, 200 * 1024 * 1024));

        Assert.Equal("api/admin/models/zip?fileName=sd%20turbo.zip&name=my%20model", url);
        cut.WaitForAssertion(() => Assert.Contains("Uploading sd turbo.zip (50 MiB of 200 MiB)", cut.Find("#zip-upload").TextContent, StringComparison.Ordinal));
        Assert.Contains("translateX(-75%)", cut.Find("#zip-upload .mud-progress-linear-bar").GetAttribute("style"), StringComparison.Ordinal);
        Assert.True(cut.Find("#install-zip").HasAttribute("disabled"));

        await cut.InvokeAsync(() => cut.Instance.UploadEnded(400, """{"title":"Bad Request","status":400,"detail":"This is not a zip file: End of Central Directory record could not be found."}"""));
        cut.WaitForAssertion(() => Assert.Equal("This is not a zip file: End of Central Directory record could not be found.", cut.Find("#models-notice").TextContent.Trim()));
        Assert.Empty(cut.FindAll("#zip-upload"));

        cut.Render(); // the page is ready for the next file
        Assert.False(cut.Find("#install-zip").HasAttribute("disabled"));
        await cut.InvokeAsync(() => cut.Instance.UploadStarting("sd turbo.zip", 1000));
        await cut.InvokeAsync(() => cut.Instance.UploadEnded(200, """{"name":"my-model","sizeBytes":3145728}"""));
        cut.WaitForAssertion(() => Assert.Equal("my-model installed (3 MiB).", cut.Find("#models-notice").TextContent.Trim()));

        await cut.InvokeAsync(() => cut.Instance.UploadStarting("sd turbo.zip", 1000));
        await cut.InvokeAsync(() => cut.Instance.UploadEnded(0, ""));
        cut.WaitForAssertion(() => Assert.Contains("The upload of sd turbo.zip broke off", cut.Find("#models-notice").TextContent, StringComparison.Ordinal));
    }

    private static BunitContext NewContext(ModelManagerWorld world)
    {
        var context = new BunitContext();
        context.Services.AddMudServices();
        context.Services.AddSingleton(world.Installer);
        context.Services.AddSingleton(world.Notifier);
        // The page logs each change in the audit log, as the administrator signed in.
        var database = StudioDatabase.ConnectionString(Path.Combine(world.Scratch, "studio.db"));
        context.Services.AddDbContextFactory<StudioDbContext>(db => db.UseStudioSqlite(database));
        context.Services.AddSingleton(TimeProvider.System);
        context.Services.AddSingleton<AuditLog>();
        context.AddAuthorization().SetAuthorized(Administrator).SetRoles(JobAccess.AdminRole).SetClaims(new Claim(ClaimTypes.NameIdentifier, Administrator));
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        using (var db = context.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext())
        {
            StudioDatabase.MigrateAndConfigure(db);
        }

        return context;
    }

    private const string Administrator = "admin@example.test";

    private static async Task<IReadOnlyList<string>> AuditedAsync(BunitContext context) =>
        [.. (await context.Services.GetRequiredService<AuditLog>().SearchAsync("", 1, 50)).Entries.Select(e => $"{e.ActorName} {e.Action} {e.Target}: {e.Details}")];

    private static int Subscribers(ModelInstallNotifier notifier) =>
        (typeof(ModelInstallNotifier).GetField(nameof(ModelInstallNotifier.Changed), System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!
            .GetValue(notifier) as Delegate)?.GetInvocationList().Length ?? 0;
}
