using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WebStudio.Studio.ModelManagement;
using WebStudio.Studio.Team;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.ModelManagement;
using WebStudio.Web.Tests.Infrastructure;
using WebStudio.Web.Tests.TeamAdmin;

namespace WebStudio.Web.Tests.ModelManagement;

/// <summary>POST /api/admin/models/zip, where the models page sends a zip over HTTP: a zipped model installs and is
/// listed, and every bad upload is answered with what is wrong, nothing installed and nothing left behind.</summary>
[Trait("Capability", "UserModels")]
public sealed class ModelUploadEndpointTests
{
    private const string LimitBytes = "200000";

    [Fact]
    public async Task A_zipped_model_posted_by_the_administrator_is_installed_under_the_name_given()
    {
        await using var studio = await TeamStudio.StartAsync();
        using var response = await PostZipAsync(studio, ModelUploadEndpoints.Url("tiny export.zip", "uploaded-tiny"), Zip(), "application/zip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var uploaded = await response.Content.ReadFromJsonAsync<ModelUploaded>();
        Assert.Equal("uploaded-tiny", uploaded!.Name);
        Assert.True(uploaded.SizeBytes > 0);
        Assert.Contains(studio.Get<ModelInstaller>().List(), m => m.Name == "uploaded-tiny" && m.Precision == "fp32");
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(studio.Host.ModelsPath, ModelInstaller.StagingFolder), "*", SearchOption.AllDirectories));

        // The same name again: refused, the installed model untouched.
        using var again = await PostZipAsync(studio, ModelUploadEndpoints.Url("other.zip", "uploaded-tiny"), Zip(), "application/zip");
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("A model called 'uploaded-tiny' is installed already: remove it first or give another name.", await DetailAsync(again));

        // The install is in the audit log, by the administrator who sent it; the refused one is not.
        var audit = (await studio.Get<AuditLog>().SearchAsync("model.install", 1, 10)).Entries;
        var entry = Assert.Single(audit);
        Assert.Equal(("uploaded-tiny", studio.Admin.Email), (entry.Target, entry.ActorName));
        Assert.StartsWith("from the zip tiny export.zip, ", entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_uploads_are_refused_with_the_reason_and_leave_nothing_behind()
    {
        await using var studio = await TeamStudio.StartAsync(new Dictionary<string, string?> { ["Models:MaxZipBytes"] = LimitBytes });
        var before = studio.Get<ModelInstaller>().List().Count;

        using var notZip = await PostZipAsync(studio, ModelUploadEndpoints.Url("broken.zip", null), "not a zip"u8.ToArray(), "application/zip");
        using var noName = await PostZipAsync(studio, "api/admin/models/zip", "PK"u8.ToArray(), "application/zip");
        using var badName = await PostZipAsync(studio, ModelUploadEndpoints.Url("a.zip", "../escape"), "PK"u8.ToArray(), "application/zip");
        using var json = await PostZipAsync(studio, ModelUploadEndpoints.Url("a.zip", null), "{}"u8.ToArray(), "application/json");
        using var tooBig = await PostZipAsync(studio, ModelUploadEndpoints.Url("big.zip", null), new byte[int.Parse(LimitBytes) + 1], "application/zip");

        Assert.Equal(HttpStatusCode.BadRequest, notZip.StatusCode);
        Assert.StartsWith("This is not a zip file: ", await DetailAsync(notZip), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.StartsWith("fileName: give the zip's file name", await DetailAsync(noName), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.StartsWith("'../escape' is not a usable model name", await DetailAsync(badName), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal("send the zip itself as the body, with Content-Type application/zip", await DetailAsync(json));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Matches("^The zip big.zip is .+: larger than the .+ a model may take.$", await DetailAsync(tooBig));

        Assert.Equal(before, studio.Get<ModelInstaller>().List().Count);
        var staging = Path.Combine(studio.Host.ModelsPath, ModelInstaller.StagingFolder);
        Assert.True(!Directory.Exists(staging) || !Directory.EnumerateFileSystemEntries(staging).Any(), "an upload was left in the staging folder");
    }

    [Fact]
    public async Task A_member_cannot_upload_a_model()
    {
        await using var studio = await TeamStudio.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, ModelUploadEndpoints.Url("tiny.zip", "sneaky")) { Content = Content(Zip(), "application/zip") };
        using var response = await studio.Member.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(studio.Get<ModelInstaller>().List(), m => m.Name == "sneaky");
    }

    [Fact]
    public void The_free_space_of_a_folder_not_made_yet_is_its_disks()
    {
        using var folder = new TempFolder();
        var probe = new DriveFreeSpace();

        var existing = probe.AvailableBytes(folder.Path);
        var missing = probe.AvailableBytes(folder.Combine("models", "not-yet"));

        Assert.True(existing > 0);
        Assert.InRange(missing, existing / 2, existing * 2); // the same disk, give or take what other work wrote meanwhile
    }

    private static byte[] Zip()
    {
        using var zip = new MemoryStream();
        ZipFile.CreateFromDirectory(TinyModelFolders.Shared.Folder("DiffusersScript"), zip);
        return zip.ToArray();
    }

    private static ByteArrayContent Content(byte[] body, string type)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private static Task<HttpResponseMessage> PostZipAsync(TeamStudio studio, string url, byte[] body, string type) =>
        studio.Admin.Http.PostAsync(url, Content(body, type));

    private static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("detail").GetString()!;
    }
}
