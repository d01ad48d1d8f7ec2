using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using WebStudio.Web.Hubs;

namespace WebStudio.Hardening.Tests.BadInputs;

/// <summary>
/// The studio the bad inputs are thrown at: the keyed API server, a user logged in with the cookie, and one of each
/// thing an id can name (a finished job and its image, a gallery, a share link, an upload), so that bad input meets
/// real endpoints and real rows, not only 404s.
/// </summary>
public sealed class BadInputStudio : IAsyncLifetime
{
    public StudioHost Server { get; } = new();

    public StudioLogin Login { get; private set; } = null!;

    public Guid JobId { get; private set; }

    public Guid ImageId { get; private set; }

    public Guid GalleryId { get; private set; }

    public string ShareToken { get; private set; } = "";

    public Guid UploadId { get; private set; }

    public string Key { get; private set; } = "";

    public string RevokedKey { get; private set; } = "";

    /// <summary>A client with no cookie; the /v1 rows add their own Authorization header.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        (_, Key, RevokedKey) = await Server.CreateUserWithRevokedKeyAsync("keyed");
        Anonymous = Server.Client(null);
        Login = await StudioLogin.RegisterAsync(Server, "bad-inputs");
        (JobId, ImageId) = await RunJobAsync("a red square on a white background");

        using var gallery = await Login.Http.PostAsJsonAsync("/api/galleries", new { name = "bad inputs" });
        GalleryId = (await gallery.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await Login.Http.PutAsync($"/api/galleries/{GalleryId}/images/{ImageId}", null)).EnsureSuccessStatusCode();
        using var share = await Login.Http.PostAsJsonAsync($"/api/galleries/{GalleryId}/shares", new { label = "bad inputs" });
        ShareToken = (await share.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        using var upload = new MultipartFormDataContent();
        var png = new ByteArrayContent(await Login.Http.GetByteArrayAsync($"/api/images/{ImageId}"));
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        upload.Add(png, "file", "source.png");
        using var uploaded = await Login.Http.PostAsync("/api/uploads", upload);
        uploaded.EnsureSuccessStatusCode();
        UploadId = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task DisposeAsync()
    {
        Anonymous?.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>A normal job through the cookie API, run to success: its job and first image.</summary>
    public async Task<(Guid Job, Guid Image)> RunJobAsync(string prompt)
    {
        using var submitted = await Login.Http.PostAsJsonAsync("/api/jobs", new { prompt, model = StudioHost.Model, steps = 2, width = 64, height = 64 });
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        var job = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            var view = await Login.Http.GetFromJsonAsync<JsonElement>($"/api/jobs/{job}");
            switch (view.GetProperty("status").GetString())
            {
                case "Succeeded":
                    return (job, view.GetProperty("images")[0].GetProperty("id").GetGuid());
                case "Failed" or "Canceled":
                    Assert.Fail($"the job ended {view}");
                    break;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"job {job} did not finish in 2 minutes");
    }

    /// <summary>A client for <paramref name="caller"/>: the logged-in user's cookie, the API key, or nobody.</summary>
    public HttpClient Client(Caller caller) => caller switch
    {
        Caller.Cookie => Login.Http,
        _ => Anonymous,
    };

    /// <summary>A started connection to the jobs hub with the user's cookie.</summary>
    public async Task<HubConnection> HubAsync()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Server.BaseAddress, JobsHub.Path), options => options.Cookies = Login.Cookies)
            .Build();
        await connection.StartAsync();
        return connection;
    }
}

/// <summary>Who sends a bad input: the /v1 rows carry their own Authorization header (or none).</summary>
public enum Caller
{
    Anonymous,
    Cookie,
}
