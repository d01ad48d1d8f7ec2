using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using WebStudio.Web.Engine;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;

namespace WebStudio.Library.Tests.Infrastructure;

/// <summary>One browser-like user of the test server: registers through the real form and keeps its cookie.</summary>
public sealed class TestUser
{
    private readonly StudioHost _studio;
    private readonly CookieContainer _cookies = new();

    private TestUser(StudioHost studio, string email)
    {
        _studio = studio;
        Email = email;
        Http = studio.CookieClient(_cookies);
    }

    public string Email { get; }

    public string Id { get; private set; } = "";

    public HttpClient Http { get; }

    public static TestUser Anonymous(StudioHost studio) => new(studio, "");

    public static async Task<TestUser> RegisterAsync(StudioHost studio, string name)
    {
        var user = new TestUser(studio, $"{name}-{Guid.NewGuid():N}@example.test");
        await StudioAccountForms.RegisterAsync(user.Http, user.Email, "Passw0rd-test");
        await using var db = studio.OpenDatabase();
        user.Id = db.Users.Single(u => u.Email == user.Email).Id;
        return user;
    }

    public static JobSpec.Txt2Img Parameters(string prompt, long seed = 1, int batch = 1, string negative = "") => new()
    {
        Prompt = prompt,
        NegativePrompt = negative,
        Model = "tiny",
        Scheduler = "Euler a",
        Steps = 2,
        Guidance = 7,
        Seed = seed,
        Width = 64,
        Height = 64,
        BatchSize = batch,
    };

    /// <summary>Submits a job and waits until it has finished; returns the job's JSON.</summary>
    public Task<JsonElement> GenerateAsync(string prompt, long seed = 1, int batch = 1, string negative = "") =>
        GenerateAsync(Parameters(prompt, seed, batch, negative));

    /// <summary>Submits <paramref name="spec"/> and waits until it has finished; returns the job's JSON.</summary>
    public async Task<JsonElement> GenerateAsync(JobSpec.Txt2Img spec)
    {
        var response = await Http.PostAsJsonAsync("/api/jobs", spec);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"submit gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return await WaitForEndAsync(id);
    }

    public async Task<JsonElement> WaitForEndAsync(Guid jobId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var job = await Http.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}");
            var status = job.GetProperty("status").GetString();
            if (status is "Succeeded" or "Failed" or "Canceled")
            {
                Assert.True(status == "Succeeded", $"job {jobId} ended {status}: {job}");
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} still {status} at the deadline");
            await Task.Delay(50);
        }
    }

    public static Guid FirstImageId(JsonElement job) => job.GetProperty("images")[0].GetProperty("id").GetGuid();

    public async Task<HubConnection> ConnectHubAsync()
    {
        var url = new Uri(_studio.BaseAddress, "/hubs/jobs");
        var cookie = _cookies.GetCookieHeader(_studio.BaseAddress);
        var connection = new HubConnectionBuilder()
            .WithUrl(url, options =>
            {
                options.Transports = HttpTransportType.LongPolling;
                if (!string.IsNullOrEmpty(cookie))
                {
                    options.Headers["Cookie"] = cookie;
                }
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
