using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebStudio.Web.Tests.Hosting;

/// <summary>
/// The one studio host fixture (issue 17) serves both ways the tests run the studio: in the test process and as a
/// child process, web node or worker node, each answering the API and running a job on the built-in model.
/// </summary>
[Trait("Capability", "StudioCore")]
public sealed class StudioHostTests
{
    private const string BuiltInModel = "webstudio-shapes";

    [Theory]
    [InlineData(StudioHostMode.InProcess)]
    [InlineData(StudioHostMode.ChildProcess)]
    public async Task The_studio_host_answers_the_api_and_runs_a_job_on_the_built_in_model_in_either_mode(StudioHostMode mode)
    {
        await using var studio = await StudioHost.StartAsync(BuiltIn() with { Mode = mode });

        var (status, bytes) = await RunJobAsync(studio, $"host-{mode}");

        Assert.Equal("Succeeded", status);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal(mode == StudioHostMode.ChildProcess, studio.Log.Contains(StudioHost.RunningLine, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(StudioHostMode.InProcess)]
    [InlineData(StudioHostMode.ChildProcess)]
    public async Task A_worker_host_on_the_web_hosts_data_folder_runs_the_jobs_the_web_host_does_not(StudioHostMode mode)
    {
        await using var web = await StudioHost.StartAsync(BuiltIn() with { RunJobs = false });
        await using var worker = await StudioWorker.StartAsync(web.Options with { Mode = mode });

        var (status, bytes) = await RunJobAsync(web, $"worker-{mode}");

        Assert.Equal("Succeeded", status);
        Assert.Equal(0x89, bytes[0]);
        Assert.Equal(mode == StudioHostMode.ChildProcess, worker.Log.Contains("1 worker(s)", StringComparison.Ordinal));
    }

    // The repository's built-in model, read in place.
    private static StudioHostOptions BuiltIn() => new()
    {
        ModelsFolder = RepositoryFolders.Models,
        TinyModel = null,
        Settings = new Dictionary<string, string?> { ["Generation:DefaultModel"] = BuiltInModel },
    };

    /// <summary>Registers a user through the real form, submits a small job on /api/jobs and waits for its end; returns its status and first image.</summary>
    private static async Task<(string Status, byte[] Image)> RunJobAsync(StudioHost studio, string name)
    {
        using var http = studio.CookieClient(new CookieContainer());
        await StudioAccountForms.RegisterAsync(http, $"{name}@example.test", "Passw0rd-test");
        using var submitted = await http.PostAsJsonAsync("/api/jobs", new { prompt = "a red circle", model = BuiltInModel, steps = 4, width = 128, height = 128, seed = 7 });
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, $"{(int)submitted.StatusCode}: {await submitted.Content.ReadAsStringAsync()}\n{studio.Log}");
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var job = await http.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");
            var status = job.GetProperty("status").GetString()!;
            if (status is "Succeeded" or "Failed" or "Canceled")
            {
                var images = job.GetProperty("images");
                return (status, images.GetArrayLength() == 0 ? [] : await http.GetByteArrayAsync(images[0].GetProperty("url").GetString()));
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {id} still {status} after 2 minutes\n{studio.Log}");
            await Task.Delay(100);
        }
    }
}
