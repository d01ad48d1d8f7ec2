using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using WebStudio.Web.Endpoints;
using WebStudio.Web.Engine;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;

namespace WebStudio.Web.Tests.Infrastructure;

/// <summary>One signed-in browser-like user: registers through the real form, keeps the Identity cookie.</summary>
public sealed class StudioUserClient
{
    private readonly StudioHost _factory;
    private readonly CookieContainer _cookies = new();

    private StudioUserClient(StudioHost factory, string email)
    {
        _factory = factory;
        Email = email;
        Http = factory.CookieClient(_cookies);
    }

    public string Email { get; }

    public HttpClient Http { get; }

    public static StudioUserClient Anonymous(StudioHost factory) => new(factory, "");

    public static async Task<StudioUserClient> RegisterAsync(StudioHost factory, string name)
    {
        var client = new StudioUserClient(factory, $"{name}@example.test");
        var response = await client.PostFormAsync("/Account/Register", "register", new()
        {
            ["Input.Email"] = client.Email,
            ["Input.Password"] = "Passw0rd-test",
            ["Input.ConfirmPassword"] = "Passw0rd-test",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"registering {name} gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>The id of the user <see cref="RegisterAsync"/> made as <paramref name="name"/>.</summary>
    public static async Task<string> IdOfAsync(StudioHost factory, string name)
    {
        await using var db = factory.OpenDatabase();
        return await db.Users.Where(u => u.Email == $"{name}@example.test").Select(u => u.Id).SingleAsync();
    }

    /// <summary>A cookie the page's own script would set (viewer-time-zone.js's time zone).</summary>
    public void SetCookie(string name, string value) => _cookies.Add(Http.BaseAddress!, new Cookie(name, value));

    public Task<HttpResponseMessage> PostFormAsync(string path, string handler, Dictionary<string, string> fields) =>
        StudioAccountForms.PostAsync(Http, path, handler, fields);

    public Task<string> AntiforgeryTokenAsync(string path) => StudioAccountForms.AntiforgeryTokenAsync(Http, path);

    public async Task<JobView> SubmitAsync(string prompt, int steps = 4, int batch = 1, long seed = 1)
    {
        var response = await Http.PostAsJsonAsync("/api/jobs", Parameters(prompt, steps, batch, seed));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"submit gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JobView>())!;
    }

    public static JobSpec.Txt2Img Parameters(string prompt, int steps = 4, int batch = 1, long seed = 1) => new()
    {
        Prompt = prompt,
        Model = "tiny",
        Scheduler = "Euler a",
        Steps = steps,
        Guidance = 7,
        Seed = seed,
        Width = 64,
        Height = 64,
        BatchSize = batch,
    };

    public async Task<JobView> WaitForAsync(Guid jobId, Func<JobView, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var job = (await Http.GetFromJsonAsync<JobView>($"/api/jobs/{jobId}"))!;
            if (done(job))
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} still {job.Status} at the deadline");
            await Task.Delay(25);
        }
    }

    public Task<JobView> WaitForEndAsync(Guid jobId, TimeSpan? timeout = null) =>
        WaitForAsync(jobId, j => j.Status is "Succeeded" or "Failed" or "Canceled", timeout);

    /// <summary>A SignalR connection to the jobs hub, carrying this user's cookie (long polling).</summary>
    public async Task<HubConnection> ConnectHubAsync()
    {
        var url = new Uri(_factory.BaseAddress, "/hubs/jobs");
        var cookie = _cookies.GetCookieHeader(_factory.BaseAddress);
        var connection = new HubConnectionBuilder()
            .WithUrl(url, options =>
            {
                options.Transports = HttpTransportType.LongPolling;
                options.Headers["Cookie"] = cookie;
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
