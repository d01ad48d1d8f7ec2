using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebStudio.Browser.Tests.Infrastructure;

/// <summary>A signed-in account over plain HTTP: registers through the real form (with its antiforgery token) and keeps the cookie.</summary>
public sealed class StudioHttpUser : IDisposable
{
    public const string Password = "Passw0rd-browser";

    private StudioHttpUser(Uri baseAddress, string email)
    {
        Email = email;
        Cookies = new CookieContainer();
        Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public string Email { get; }

    public CookieContainer Cookies { get; }

    public HttpClient Http { get; }

    public static async Task<StudioHttpUser> RegisterAsync(StudioHost server, string email)
    {
        var user = new StudioHttpUser(server.BaseAddress, email);
        await StudioAccountForms.RegisterAsync(user.Http, email, Password);
        return user;
    }

    /// <summary>POST /api/jobs; returns the new job's id.</summary>
    public async Task<Guid> SubmitAsync(object parameters)
    {
        using var response = await Http.PostAsJsonAsync("/api/jobs", parameters);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"submitting a job answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        using var job = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return job.RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>GET /api/jobs/{id} as JSON.</summary>
    public async Task<JsonElement> GetJobAsync(Guid id)
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync($"/api/jobs/{id}"));
        return document.RootElement.Clone();
    }

    /// <summary>GET /api/jobs/{id} until the job has left the queue and the worker, or <see cref="StudioPages.Wait"/>
    /// has passed; its last state.</summary>
    public async Task<JsonElement> WaitForJobAsync(Guid id)
    {
        var deadline = DateTime.UtcNow + StudioPages.Wait;
        var job = await GetJobAsync(id);
        while (job.GetProperty("status").GetString() is "Queued" or "Running" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            job = await GetJobAsync(id);
        }

        return job;
    }

    public void Dispose() => Http.Dispose();
}
