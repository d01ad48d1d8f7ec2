using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Web.Api;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;
using WebStudio.Web.Sharing;
using WebStudio.Studio.Sharing;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Hardening.Tests.Authorization;

/// <summary>
/// One studio on loopback with everything an attacker could aim at: the administrator (the first account), the
/// owner A with finished jobs, images, galleries, an upload and share links (live, expired, revoked), A's API key and a
/// revoked one, and another user B with a job and a key of their own. Jobs take 100 ms a step, so that a long job
/// stays running, and one behind it queued, while the matrix probes them (<see cref="StartActiveJobsAsync"/>).
/// </summary>
public sealed class AuthorizationWorld : IAsyncLifetime
{
    public const string OwnerPrompt = "owner secret lighthouse";

    // Jobs take 100 ms a step on the real engine.
    private readonly StudioHost _server = StudioHost.Create(new StudioHostOptions { StepPause = TimeSpan.FromMilliseconds(100) });

    public StudioHost Server => _server;

    public StudioLogin Admin { get; private set; } = null!;

    public StudioLogin Owner { get; private set; } = null!;

    public StudioLogin Other { get; private set; } = null!;

    public string OwnerKey { get; private set; } = "";

    public string OwnerRevokedKey { get; private set; } = "";

    public string OtherKey { get; private set; } = "";

    /// <summary>The owner's resources, by role.</summary>
    public Resources Owned { get; } = new();

    /// <summary>An account the administrator's routes change (role, disable, quota, reset link); nobody signs in with it.</summary>
    public string SpareUser { get; private set; } = "";

    /// <summary>An account the administrator's delete removes.</summary>
    public string DeletedUser { get; private set; } = "";

    /// <summary>A finished image of B's (an id that exists but is not in A's share).</summary>
    public Guid OtherImage { get; private set; }

    /// <summary>B's own gallery, holding <see cref="OtherImage"/>.</summary>
    public Guid OtherGallery { get; private set; }

    /// <summary>A PNG the studio made (it carries its parameters chunk): the upload of edit and read probes.</summary>
    public byte[] Png { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        Admin = await StudioLogin.RegisterAsync(_server, "matrix-admin"); // the first account: the administrator
        Owner = await StudioLogin.RegisterAsync(_server, "matrix-owner");
        Other = await StudioLogin.RegisterAsync(_server, "matrix-other");

        var keys = _server.Services.GetRequiredService<ApiKeyService>();
        OwnerKey = (await keys.CreateAsync(Owner.UserId, "matrix")).Key;
        var revoked = await keys.CreateAsync(Owner.UserId, "matrix revoked");
        Assert.True(await keys.RevokeAsync(Owner.UserId, revoked.Row.Id));
        OwnerRevokedKey = revoked.Key;
        OtherKey = (await keys.CreateAsync(Other.UserId, "matrix other")).Key;

        (Owned.Job, Owned.Image) = await GenerateAsync(Owner, OwnerPrompt);
        (Owned.SpareJob, Owned.SpareImage) = await GenerateAsync(Owner, "owner spare");
        (_, OtherImage) = await GenerateAsync(Other, "other's own");
        Png = await Owner.Http.GetByteArrayAsync($"/api/images/{Owned.Image}");

        Owned.Gallery = await CreateGalleryAsync(Owner, "owner gallery", Owned.Image);
        Owned.SpareGallery = await CreateGalleryAsync(Owner, "owner spare gallery", Owned.SpareImage);
        OtherGallery = await CreateGalleryAsync(Other, "other's gallery", OtherImage);
        (Owned.ShareLink, Owned.LiveToken) = await ShareAsync(Owned.Gallery);
        (Owned.SpareShareLink, _) = await ShareAsync(Owned.Gallery);
        Owned.RevokedToken = await RevokedShareAsync();
        Owned.ExpiredToken = await ExpiredShareAsync();
        Owned.Upload = await UploadAsync();
        Owned.Style = await StyleAsync();
        (Owned.Thread, Owned.Turn, Owned.SpareTurn) = await RefineAsync();
        Owned.SpareThread = await SpareThreadAsync();
        (await Owner.Http.PutAsync($"/api/galleries/{Owned.SpareGallery}/threads/{Owned.Thread}", null)).EnsureSuccessStatusCode();
        SpareUser = (await _server.CreateUserWithKeyAsync("matrix-spare")).UserId;
        DeletedUser = (await _server.CreateUserWithKeyAsync("matrix-deleted")).UserId;
        Owned.Running = Owned.Job;
        Owned.Queued = Owned.SpareJob;
        Callers = new ProbeCallers(Client(Owner), Client(Other), Client(Admin), Client(null), Client(null, OwnerRevokedKey), Client(null, OwnerKey), Client(null, OtherKey));
    }

    /// <summary>The probing clients, one per caller, for the whole class.</summary>
    public ProbeCallers Callers { get; private set; } = null!;

    public async Task DisposeAsync()
    {
        Callers?.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>A's long job (running) and one queued behind it; until then the job ids name finished jobs.</summary>
    public async Task StartActiveJobsAsync()
    {
        Owned.Running = await SubmitAsync(Owner, "owner running", steps: 150);
        await WaitForStatusAsync(Owned.Running, "Running");
        Owned.Queued = await SubmitAsync(Owner, "owner queued", steps: 150);
    }

    /// <summary>A client that sends <paramref name="login"/>'s cookie (or none) and a bearer key, and keeps no cookie a
    /// probe is answered with, so that no probe changes anybody's session.</summary>
    private HttpClient Client(StudioLogin? login, string? key = null)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = _server.BaseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };
        if (login is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", login.Cookies.GetCookieHeader(_server.BaseAddress));
        }

        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>A second session of the owner, through the login form: the one a logout probe may end.</summary>
    public async Task<HttpClient> OwnerSessionAsync()
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress };
        using var response = await StudioAccountForms.PostAsync(http, "/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = "matrix-owner@example.test",
            ["Input.Password"] = "Passw0rd-test",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return http;
    }

    private static async Task<Guid> SubmitAsync(StudioLogin user, string prompt, int steps)
    {
        using var response = await user.Http.PostAsJsonAsync("/api/jobs", new
        {
            prompt,
            model = StudioHost.Model,
            scheduler = "Euler a",
            steps,
            guidance = 7,
            seed = 1,
            width = 64,
            height = 64,
            batchSize = 1,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"submit gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>A's Refine thread: a first turn, and a spare one continued from it (the owner's undo takes that one),
    /// on a tiny instruction model beside the tiny one.</summary>
    private async Task<(Guid Thread, Guid Turn, Guid SpareTurn)> RefineAsync()
    {
        TinyStableDiffusion.Write(Path.Combine(_server.ModelsPath, "tiny-edit"), TinyModelVariant.InstructEdit);
        using var started = await Owner.Http.PostAsJsonAsync("/api/refine/threads", new { instruction = "owner thread", model = StudioHost.Model, steps = 2 });
        Assert.True(started.StatusCode == HttpStatusCode.Created, $"refine gave {(int)started.StatusCode}: {await started.Content.ReadAsStringAsync()}");
        var thread = await started.Content.ReadFromJsonAsync<JsonElement>();
        var first = thread.GetProperty("turns")[0];
        await WaitForStatusAsync(first.GetProperty("jobId").GetGuid(), "Succeeded");
        var id = thread.GetProperty("id").GetGuid();
        using var continued = await Owner.Http.PostAsJsonAsync($"/api/refine/threads/{id}/turns", new { instruction = "owner spare turn", steps = 2 });
        Assert.True(continued.StatusCode == HttpStatusCode.Created, $"continue gave {(int)continued.StatusCode}: {await continued.Content.ReadAsStringAsync()}");
        var spare = (await continued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("turns")[1];
        await WaitForStatusAsync(spare.GetProperty("jobId").GetGuid(), "Succeeded");
        return (id, first.GetProperty("id").GetGuid(), spare.GetProperty("id").GetGuid());
    }

    /// <summary>A second thread of A's, finished, for the owner's delete of a thread.</summary>
    private async Task<Guid> SpareThreadAsync()
    {
        using var started = await Owner.Http.PostAsJsonAsync("/api/refine/threads", new { instruction = "owner spare thread", model = StudioHost.Model, steps = 2 });
        Assert.True(started.StatusCode == HttpStatusCode.Created, $"refine gave {(int)started.StatusCode}: {await started.Content.ReadAsStringAsync()}");
        var thread = await started.Content.ReadFromJsonAsync<JsonElement>();
        await WaitForStatusAsync(thread.GetProperty("turns")[0].GetProperty("jobId").GetGuid(), "Succeeded");
        return thread.GetProperty("id").GetGuid();
    }

    private async Task<(Guid Job, Guid Image)> GenerateAsync(StudioLogin user, string prompt)
    {
        var job = await SubmitAsync(user, prompt, steps: 2);
        var done = await WaitForStatusAsync(job, "Succeeded");
        return (job, done.GetProperty("images")[0].GetProperty("id").GetGuid());
    }

    private async Task<JsonElement> WaitForStatusAsync(Guid job, string wanted)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var state = await Admin.Http.GetFromJsonAsync<JsonElement>($"/api/jobs/{job}"); // the administrator sees every job
            var status = state.GetProperty("status").GetString();
            if (status == wanted)
            {
                return state;
            }

            Assert.True(status is "Queued" or "Running" && DateTime.UtcNow < deadline, $"job {job} is {status}, waiting for {wanted}: {state}");
            await Task.Delay(50);
        }
    }

    private static async Task<Guid> CreateGalleryAsync(StudioLogin user, string name, Guid image)
    {
        using var created = await user.Http.PostAsJsonAsync("/api/galleries", new { name });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var added = await user.Http.PutAsync($"/api/galleries/{id}/images/{image}", null);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        return id;
    }

    private async Task<Guid> StyleAsync()
    {
        using var response = await Owner.Http.PostAsJsonAsync("/api/styles", new { name = "owner style", prompt = "{prompt} on white" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<(Guid Link, string Token)> ShareAsync(Guid gallery)
    {
        using var response = await Owner.Http.PostAsJsonAsync($"/api/galleries/{gallery}/shares", new { label = "matrix" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("link").GetProperty("id").GetGuid(), body.GetProperty("token").GetString()!);
    }

    private async Task<string> RevokedShareAsync()
    {
        var (link, token) = await ShareAsync(Owned.Gallery);
        using var revoked = await Owner.Http.DeleteAsync($"/api/shares/{link}");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        return token;
    }

    // The API refuses an expiry in the past, so the link ages in the database.
    private async Task<string> ExpiredShareAsync()
    {
        var (link, token) = await ShareAsync(Owned.Gallery);
        var factory = _server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var past = DateTime.UtcNow.AddMinutes(-1);
        Assert.Equal(1, await db.ShareLinks.Where(l => l.Id == link).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, past)));
        return token;
    }

    private async Task<Guid> UploadAsync()
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Png), "file", "source.png" } };
        using var response = await Owner.Http.PostAsync("/api/uploads", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>A random token of the real shape: one that was never issued.</summary>
    public static string UnknownToken() => ShareToken.Create();
}

/// <summary>The matrix's callers: A (the owner), B (another user), the administrator, nobody, A's revoked key, A's
/// live key and B's key (each without a login).</summary>
public sealed record ProbeCallers(
    HttpClient Owner, HttpClient Other, HttpClient Admin, HttpClient Anonymous, HttpClient RevokedKey, HttpClient OwnerKey, HttpClient OtherKey) : IDisposable
{
    public void Dispose()
    {
        foreach (var client in new[] { Owner, Other, Admin, Anonymous, RevokedKey, OwnerKey, OtherKey })
        {
            client.Dispose();
        }
    }
}

/// <summary>The owner's resources by role; the spare ones are for the owner's own deletes.</summary>
public sealed class Resources
{
    public Guid Job { get; set; }
    public Guid Image { get; set; }
    public Guid SpareJob { get; set; }
    public Guid SpareImage { get; set; }
    public Guid Running { get; set; }
    public Guid Queued { get; set; }
    public Guid Gallery { get; set; }
    public Guid SpareGallery { get; set; }
    public Guid ShareLink { get; set; }
    public Guid SpareShareLink { get; set; }
    public Guid Upload { get; set; }
    public Guid Style { get; set; }
    public Guid Thread { get; set; }
    public Guid Turn { get; set; }
    public Guid SpareTurn { get; set; }
    public Guid SpareThread { get; set; }
    public string LiveToken { get; set; } = "";
    public string ExpiredToken { get; set; } = "";
    public string RevokedToken { get; set; } = "";
}
