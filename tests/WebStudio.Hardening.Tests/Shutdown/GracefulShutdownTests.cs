using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using WebStudio.Studio.Previews;
using Xunit.Abstractions;

namespace WebStudio.Hardening.Tests.Shutdown;

/// <summary>
/// SIGTERM to a real studio process while a job runs, a preview stream and API requests (streamed and waiting) are
/// open: it stops within HostOptions.ShutdownTimeout, the running job is back in the queue as after kill -9 (its
/// attempt not counted), the waiting API jobs stay queued, the SQLite file is intact, and a restart runs them all.
/// </summary>
[Trait("Capability", "Hardening")]
public sealed class GracefulShutdownTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Model = "tiny";
    private readonly TempFolder _folder = new();

    // The studio as a real child process on this test's folder (the host writes the tiny model into it).
    private StudioHostOptions Options => new()
    {
        Mode = StudioHostMode.ChildProcess,
        DataFolder = _folder.Path,
        Settings = new Dictionary<string, string?> { ["Logging:LogLevel:WebStudio"] = "Information" },
    };

    private string DatabasePath => Path.Combine(_folder.Path, "studio.db");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>HostOptions.ShutdownTimeout as the studio's settings file sets it (root key shutdownTimeoutSeconds).</summary>
    private static TimeSpan ConfiguredShutdownTimeout()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));
        var key = settings.RootElement.EnumerateObject().Single(p => p.Name.Equals("shutdownTimeoutSeconds", StringComparison.OrdinalIgnoreCase));
        return TimeSpan.FromSeconds(key.Value.GetInt32());
    }

    private const int SlowBatch = 4;

    [Fact]
    public async Task SIGTERM_during_a_job_and_open_streams_stops_within_the_shutdown_timeout_and_requeues_the_job()
    {
        var shutdownTimeout = ConfiguredShutdownTimeout();
        string key;
        using (var commands = StudioHost.Create(Options))
        {
            key = (await commands.RunCommandAsync("create-api-key", "--user", "alice")).Trim();
        }

        Guid slowJob;
        await using (var server = await StudioHost.StartAsync(Options))
        {
            // A studio user's long job (150 steps at 384² × 4: many seconds on any machine, so it is still running when
            // the server is stopped; at 256² × 2 a quiet CI machine once reached step 148 first), watched live through
            // the hub.
            var cookies = new CookieContainer();
            using var studio = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
            await StudioAccountForms.RegisterAsync(studio, "bob@example.test", "Passw0rd-test");
            using var submitted = await studio.PostAsJsonAsync("/api/jobs", new { prompt = "slow", model = Model, steps = 150, width = 384, height = 384, batchSize = SlowBatch, seed = 1 });
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
            slowJob = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            await using var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(server.BaseAddress, "/hubs/jobs"), options => options.Cookies = cookies)
                .Build();
            await hub.StartAsync();
            var frames = hub.StreamAsync<PreviewFrame>("WatchJob", slowJob).GetAsyncEnumerator();
            var watched = Task.Run(async () =>
            {
                var count = 0;
                try
                {
                    while (await frames.MoveNextAsync())
                    {
                        count++;
                    }
                }
                catch (Exception ex) when (ex is HubException or WebSocketException or OperationCanceledException or InvalidOperationException or IOException)
                {
                    // The server closed the connection: what we wait for.
                }

                return count;
            });

            // An API client's streamed request and a waiting one, both queued behind it.
            using var api = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var streamed = await api.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
            {
                Content = JsonContent.Create(new { prompt = "queued stream", size = "64x64", quality = "low", stream = true }),
            }, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
            var streamedBody = streamed.Content.ReadAsStringAsync();
            var waiting = api.PostAsJsonAsync("/v1/images/generations", new { prompt = "queued wait", size = "64x64", quality = "low" });

            var step = await WaitForStepAsync(studio, slowJob, minimum: 2);
            while (await CountAsync("SELECT COUNT(*) FROM GenerationJobs WHERE Status = 'Queued'") < 2)
            {
                Assert.False(waiting.IsCompleted, $"the waiting API request ended early:\n{server.Log}");
                await Task.Delay(50);
            }

            var clock = Stopwatch.StartNew();
            server.Terminate();
            var exited = await server.WaitForExitAsync(shutdownTimeout + TimeSpan.FromSeconds(5));
            var stoppedIn = clock.Elapsed;
            output.WriteLine($"SIGTERM at step {step} of 150: exited {exited} after {stoppedIn.TotalSeconds:0.00} s (timeout {shutdownTimeout.TotalSeconds:0} s), code {(exited ? server.ExitCode : -1)}");
            output.WriteLine(server.Log);
            Assert.True(exited, $"still running {stoppedIn.TotalSeconds:0.0} s after SIGTERM (ShutdownTimeout {shutdownTimeout.TotalSeconds} s):\n{server.Log}");
            Assert.Equal(0, server.ExitCode);

            // Every open request got an answer or an end, none was left hanging.
            var body = await streamedBody.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Contains("server_shutting_down", body);
            var waited = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, waited.StatusCode);
            Assert.Contains("shutting down", await waited.Content.ReadAsStringAsync());
            Assert.True(waited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            await watched.WaitAsync(TimeSpan.FromSeconds(5));
        }

        // The database: intact, the interrupted job queued again with its attempt not counted, the API jobs still queued.
        Assert.Equal("ok", await ScalarAsync("PRAGMA integrity_check"));
        Assert.Equal("Queued|0", await ScalarAsync($"SELECT Status || '|' || Attempts FROM GenerationJobs WHERE Id = '{slowJob.ToString().ToUpperInvariant()}'"));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM GenerationJobs WHERE Status = 'Queued'"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM GeneratedImages"));

        // A restart runs all three to the end.
        await using (var restarted = await StudioHost.StartAsync(Options))
        {
            var deadline = Stopwatch.StartNew();
            while (await CountAsync("SELECT COUNT(*) FROM GenerationJobs WHERE Status = 'Succeeded'") < 3)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(5), $"jobs did not finish after the restart:\n{restarted.Log}");
                Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM GenerationJobs WHERE Status IN ('Failed', 'Canceled')"));
                await Task.Delay(250);
            }
        }

        Assert.Equal("Succeeded|1", await ScalarAsync($"SELECT Status || '|' || Attempts FROM GenerationJobs WHERE Id = '{slowJob.ToString().ToUpperInvariant()}'"));
        Assert.Equal(SlowBatch + 2, await CountAsync("SELECT COUNT(*) FROM GeneratedImages")); // and one image per API request
        Assert.Equal("ok", await ScalarAsync("PRAGMA integrity_check"));
    }

    private static async Task<int> WaitForStepAsync(HttpClient studio, Guid jobId, int minimum)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var job = await studio.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}");
            var step = job.GetProperty("step").GetInt32();
            if (step >= minimum)
            {
                Assert.Equal("Running", job.GetProperty("status").GetString());
                return step;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), $"the job never reached step {minimum}: {job}");
            await Task.Delay(50);
        }
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    private async Task<int> CountAsync(string sql) => int.Parse((await ScalarAsync(sql))!, System.Globalization.CultureInfo.InvariantCulture);
}
