using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using WebStudio.Studio.Jobs;
using WebStudio.Web.Endpoints;

namespace WebStudio.ScaleOut.Tests.Cluster;

/// <summary>
/// One user of a <see cref="StudioCluster"/>: a browser's cookies (valid on every web node) and an API key, and the
/// ways a client submits: the studio's JSON endpoint, and OpenAI's /v1/images/generations, plain or streamed. Each
/// call names the node it goes through, so that a restarted node (a new port) is reached where it is now.
/// </summary>
public sealed class ClusterUser
{
    public const string Password = "Passw0rd-test";

    private readonly CookieContainer _cookies = new();

    internal ClusterUser(string name) => Name = name;

    public string Name { get; }

    public string Email => $"{Name}@example.test";

    public string Id { get; private set; } = "";

    public string ApiKey { get; private set; } = "";

    public CookieContainer Cookies => _cookies;

    internal void Signed(string id, string key) => (Id, ApiKey) = (id, key);

    /// <summary>A client on <paramref name="node"/> that holds this user's cookies and does not follow redirects.</summary>
    public HttpClient Browser(StudioHost node) =>
        new(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false }) { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };

    /// <summary>A client on <paramref name="node"/> that sends this user's API key.</summary>
    public HttpClient Api(StudioHost node)
    {
        var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return http;
    }

    /// <summary>POST /api/jobs as the studio's pages do; the job's id (201 insisted on).</summary>
    public async Task<Guid> SubmitAsync(StudioHost node, JobSpec.Txt2Img spec)
    {
        using var http = Browser(node);
        using var response = await http.PostAsJsonAsync("/api/jobs", spec);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{Name}: /api/jobs answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JobView>())!.Id;
    }

    /// <summary>GET /api/jobs/{id} through <paramref name="node"/>.</summary>
    public async Task<JobView> JobAsync(StudioHost node, Guid id)
    {
        using var http = Browser(node);
        return (await http.GetFromJsonAsync<JobView>($"/api/jobs/{id}"))!;
    }

    /// <summary>A plain /v1/images/generations request, which answers once its job has ended; its status code.</summary>
    public async Task<HttpStatusCode> GenerateAsync(StudioHost node, string prompt, string size, string quality)
    {
        using var http = Api(node);
        using var response = await http.PostAsJsonAsync("/v1/images/generations", new { prompt, size, quality, n = 1 });
        _ = await response.Content.ReadAsStringAsync();
        return response.StatusCode;
    }

    /// <summary>A streamed /v1/images/generations request, read to its end; <paramref name="progress"/> follows it
    /// event by event. <paramref name="steps"/>, when given, is the studio's extension field (else quality decides).</summary>
    public async Task StreamAsync(StudioHost node, string prompt, string size, string quality, int partials, StreamProgress progress, int? steps = null)
    {
        using var http = Api(node);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = steps is { } count
                ? JsonContent.Create(new { prompt, size, quality, n = 1, stream = true, partial_images = partials, steps = count })
                : JsonContent.Create(new { prompt, size, quality, n = 1, stream = true, partial_images = partials }),
        };
        progress.Node = node;
        progress.PartialsAsked = partials;
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        progress.Status = response.StatusCode;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return;
        }

        progress.Open = true;
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            switch (line)
            {
                case "event: image_generation.partial_image":
                    Interlocked.Increment(ref progress.Partials);
                    break;
                case "event: image_generation.completed":
                    progress.Completed = true;
                    break;
                case "event: error":
                    progress.Error = true;
                    break;
            }
        }
    }
}

/// <summary>How far one streamed request has got, as its client saw it.</summary>
public sealed class StreamProgress(string prompt, bool isLong = false)
{
    public string Prompt { get; } = prompt;

    /// <summary>A long job's stream, which stays mid-stream long enough for a test to act on it.</summary>
    public bool IsLong { get; } = isLong;

    public StudioHost? Node { get; set; }

    public HttpStatusCode? Status { get; set; }

    /// <summary>The headers arrived: the job was queued.</summary>
    public volatile bool Open;

    public int Partials;

    public volatile bool Completed;

    public volatile bool Error;

    /// <summary>The partial images asked for.</summary>
    public int PartialsAsked { get; set; }

    /// <summary>Mid-stream: the job has sent a partial image, not its last one, and not yet its result.</summary>
    public bool MidStream => Volatile.Read(ref Partials) is var seen && seen > 0 && seen < PartialsAsked && !Completed && !Error;
}
