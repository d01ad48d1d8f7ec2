using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;

namespace WebStudio.Benchmarks;

/// <summary>A simulated studio user over loopback HTTP: registers through the real form, keeps the Identity cookie.</summary>
public sealed partial class StudioBenchUser : IDisposable
{
    public const string Password = "Passw0rd-bench";

    private readonly Uri _baseAddress;

    private StudioBenchUser(Uri baseAddress, string email)
    {
        _baseAddress = baseAddress;
        Email = email;
        Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public string Email { get; }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    public static async Task<StudioBenchUser> RegisterAsync(Uri baseAddress, string email)
    {
        var user = new StudioBenchUser(baseAddress, email);
        await user.PostRegisterFormAsync();
        return user;
    }

    /// <summary>
    /// Posts the studio's register form (Account/Register.razor: FormName "register", its Input fields) as a browser
    /// does, after reading the page's antiforgery token; success redirects and leaves the account's cookie.
    /// </summary>
    private async Task PostRegisterFormAsync()
    {
        const string path = "/Account/Register";
        var token = AntiforgeryField().Match(await Http.GetStringAsync(path));
        if (!token.Success)
        {
            throw new InvalidOperationException($"{path} has no antiforgery token");
        }

        using var response = await Http.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = "register",
            ["Input.Email"] = Email,
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"registering {Email} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async Task<Guid> SubmitAsync(object parameters)
    {
        using var response = await Http.PostAsJsonAsync("/api/jobs", parameters);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"{Email}: submit answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<BenchJob>())!.Id;
    }

    public async Task<BenchJob> GetJobAsync(Guid id) => (await Http.GetFromJsonAsync<BenchJob>($"/api/jobs/{id}"))!;

    /// <summary>Polls the job until it ends; times come from the server, so the poll interval only delays the answer.</summary>
    public async Task<BenchJob> WaitForEndAsync(Guid id, int pollMs = 20)
    {
        while (true)
        {
            var job = await GetJobAsync(id);
            if (job.Status is "Succeeded" or "Failed" or "Canceled")
            {
                return job.Status == "Succeeded" ? job : throw new InvalidOperationException($"job {id} ended {job.Status}: {job.FailureReason}");
            }

            await Task.Delay(pollMs);
        }
    }

    /// <summary>A SignalR connection to the jobs hub (WebSockets) carrying this user's cookie.</summary>
    public async Task<HubConnection> ConnectHubAsync()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_baseAddress, "/hubs/jobs"), options => options.Cookies = Cookies)
            .Build();
        await connection.StartAsync();
        return connection;
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"", RegexOptions.NonBacktracking)]
    private static partial Regex AntiforgeryField();
}

/// <summary>The fields of the studio's job JSON the benchmark reads (times are UTC).</summary>
public sealed record BenchJob(Guid Id, string Status, DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, string? FailureReason)
{
    public DateTime Created => DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc);
    public DateTime Started => DateTime.SpecifyKind(StartedAt!.Value, DateTimeKind.Utc);
    public DateTime Finished => DateTime.SpecifyKind(FinishedAt!.Value, DateTimeKind.Utc);
    public double RunSeconds => (Finished - Started).TotalSeconds;
}

/// <summary>One frame of the WatchJob stream.</summary>
public sealed record BenchFrame(int Step, int TotalSteps, string Status, byte[]? Png);
