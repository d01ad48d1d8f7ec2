using System.Net;
using System.Net.Http.Json;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Galleries;
using WebStudio.Studio.History;
using WebStudio.Studio.Jobs;
using WebStudio.Web.Endpoints;

namespace WebStudio.ScaleOut.Tests;

/// <summary>The whole studio on PostgreSQL: registration, a job on the built-in model, its image, history and galleries.</summary>
[Trait("Capability", "ScaleOut")]
[Collection(PostgresCollection.Name)]
public sealed class StudioOnPostgresTests(PostgresServer server)
{
    private const string BuiltInModel = "webstudio-shapes";

    [Fact]
    public async Task A_user_registers_generates_on_the_built_in_model_and_finds_the_image_in_history_and_a_gallery()
    {
        await using var database = await server.CreateDatabaseAsync();
        var studio = new PostgresStudio(database.ConnectionString);
        await studio.InitializeAsync();
        try
        {
            var alice = await StudioLogin.RegisterAsync(studio, "alice");
            var submitted = await alice.Http.PostAsJsonAsync("/api/jobs", new JobSpec.Txt2Img
            {
                Prompt = "a red circle",
                Model = BuiltInModel,
                Steps = 4,
                Seed = 7,
            });
            Assert.True(submitted.StatusCode == HttpStatusCode.Created, $"submit gave {(int)submitted.StatusCode}: {await submitted.Content.ReadAsStringAsync()}");
            var job = (await submitted.Content.ReadFromJsonAsync<JobView>())!;

            var done = await WaitForEndAsync(alice.Http, job.Id);
            Assert.True(done.Status == "Succeeded", $"the job ended {done.Status}: {done.FailureReason}");
            var image = Assert.Single(done.Images);
            var png = await alice.Http.GetByteArrayAsync(image.Url);
            Assert.Equal(PngSignature, png.Take(8));

            // History: PostgreSQL's search ignores case, as SQLite's does.
            var history = (await alice.Http.GetFromJsonAsync<HistoryPage>("/api/history?q=RED%20Circle"))!;
            Assert.Equal(job.Id, Assert.Single(history.Items).JobId);

            var created = await alice.Http.PostAsJsonAsync("/api/galleries", new { name = "Circles" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var gallery = (await created.Content.ReadFromJsonAsync<GallerySummary>())!;
            Assert.Equal(HttpStatusCode.Created, (await alice.Http.PutAsync($"/api/galleries/{gallery.Id}/images/{image.Id}", null)).StatusCode);
            var details = (await alice.Http.GetFromJsonAsync<GalleryDetails>($"/api/galleries/{gallery.Id}"))!;
            Assert.Equal(image.Id, Assert.Single(details.Images).ImageId);
        }
        finally
        {
            await studio.DisposeAsync();
        }
    }

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static async Task<JobView> WaitForEndAsync(HttpClient http, Guid id)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var job = (await http.GetFromJsonAsync<JobView>($"/api/jobs/{id}"))!;
            if (job.Status is "Succeeded" or "Failed" or "Canceled" || DateTime.UtcNow > deadline)
            {
                return job;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The studio on Kestrel with Studio:Database=Postgres and the repository's built-in model.</summary>
    private sealed class PostgresStudio(string connectionString) : StudioHost(new StudioHostOptions
    {
        ModelsFolder = RepositoryFolders.Models,
        TinyModel = null,
        Settings = new Dictionary<string, string?>
        {
            ["Studio:Database"] = "Postgres",
            ["Studio:ConnectionString"] = connectionString,
            ["Generation:DefaultModel"] = BuiltInModel,
        },
    });
}
