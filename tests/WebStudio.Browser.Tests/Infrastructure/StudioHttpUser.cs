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

    public void Dispose() => Http.Dispose();
}
