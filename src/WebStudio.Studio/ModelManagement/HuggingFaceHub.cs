using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WebStudio.Studio.ModelManagement;

/// <summary>
/// The Hugging Face Hub's HTTP API, as far as installing needs it: a revision's commit
/// (<c>GET /api/models/{repo}/revision/{rev}</c>), its file tree with LFS hashes
/// (<c>GET /api/models/{repo}/tree/{rev}/{path}?recursive=1</c>) and a file's bytes
/// (<c>GET /{repo}/resolve/{rev}/{path}</c>, with <c>Range</c> to resume). The HttpClient's base address is
/// Models:HubEndpoint; the token, where one is set, goes as a Bearer header.
/// </summary>
public sealed partial class HuggingFaceHub(HttpClient http, string? token)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static bool IsRepoId(string? repo) => repo is not null && RepoId().IsMatch(repo);

    /// <summary>The files of <paramref name="repo"/> at <paramref name="revision"/> under <paramref name="subfolder"/>.</summary>
    public async Task<HubListing> ListAsync(string repo, string revision, string? subfolder, CancellationToken cancellation)
    {
        if (!IsRepoId(repo))
        {
            throw new ModelInstallException($"'{repo}' is not a Hub repository id (owner/name).");
        }

        var sub = (subfolder ?? "").Trim('/');
        if (sub.Split('/').Any(s => s is "." or ".."))
        {
            throw new ModelInstallException($"'{subfolder}' is not a folder of the repository.");
        }

        var (info, _) = await GetJsonAsync($"api/models/{repo}/revision/{Uri.EscapeDataString(revision)}", repo, revision, cancellation);
        var commit = info.TryGetProperty("sha", out var sha) && sha.ValueKind == JsonValueKind.String ? sha.GetString()! : revision;

        var treePath = $"api/models/{repo}/tree/{Uri.EscapeDataString(commit)}" + (sub.Length > 0 ? "/" + EscapePath(sub) : "") + "?recursive=1";
        var prefix = sub.Length > 0 ? sub + "/" : "";
        var files = new List<HubFile>();
        // The Hub pages a long tree: each page's Link header names the next one.
        for (string? page = treePath; page is not null;)
        {
            var (tree, next) = await GetJsonAsync(page, repo, revision, cancellation);
            page = next;
            AddFiles(tree, prefix, files);
        }

        return new HubListing(repo, revision, commit, files, sub);
    }

    private static void AddFiles(JsonElement tree, string prefix, List<HubFile> files)
    {
        foreach (var entry in tree.EnumerateArray())
        {
            if (entry.GetProperty("type").GetString() != "file")
            {
                continue;
            }

            var path = entry.GetProperty("path").GetString()!;
            if (!path.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            string? lfsSha = null;
            var size = entry.TryGetProperty("size", out var s) ? s.GetInt64() : 0;
            if (entry.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object)
            {
                lfsSha = lfs.GetProperty("oid").GetString();
                size = lfs.TryGetProperty("size", out var ls) ? ls.GetInt64() : size;
            }

            files.Add(new HubFile(path[prefix.Length..], size, lfsSha));
        }
    }

    /// <summary>Writes the file's bytes to <paramref name="target"/>, resuming from the bytes already there (a Range
    /// request; a server that answers 200 instead starts it over), and feeds them to <paramref name="hash"/> as they
    /// arrive. Returns the bytes received.</summary>
    public async Task<long> DownloadAsync(HubListing listing, HubFile file, string target, Action<long> received, DownloadHash? hash,
        CancellationToken cancellation)
    {
        var path = (listing.Subfolder.Length > 0 ? listing.Subfolder + "/" : "") + file.Path;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{listing.Repo}/resolve/{Uri.EscapeDataString(listing.Commit)}/{EscapePath(path)}");
        Authorize(request);
        var have = File.Exists(target) ? new FileInfo(target).Length : 0;
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            File.Delete(target); // what is there is longer than the file: start it over next time
            throw new IOException($"{file.Path}: the partial download did not match the file; it is started over.");
        }

        EnsureSuccess(response, listing.Repo, listing.Revision);
        var resumed = response.StatusCode == HttpStatusCode.PartialContent;
        if (hash is not null)
        {
            if (resumed)
            {
                await hash.CatchUpAsync(target, have, cancellation);
            }
            else
            {
                hash.Restart();
            }
        }

        await using var output = new FileStream(target, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        await using var input = await response.Content.ReadAsStreamAsync(cancellation);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await input.ReadAsync(buffer, cancellation)) > 0)
        {
            cancellation.ThrowIfCancellationRequested(); // a read served from the connection's buffer does not look
            await output.WriteAsync(buffer.AsMemory(0, read), cancellation);
            hash?.Append(buffer.AsSpan(0, read));
            total += read;
            received(read);
        }

        return total;
    }

    /// <summary>The JSON at <paramref name="path"/> and the next page's address, where a Link header gives one.</summary>
    private async Task<(JsonElement Json, string? Next)> GetJsonAsync(string path, string repo, string revision, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        Authorize(request);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellation);
        }
        catch (HttpRequestException e)
        {
            throw new ModelInstallException($"The Hub at {http.BaseAddress} cannot be reached: {e.Message}", e);
        }

        using (response)
        {
            EnsureSuccess(response, repo, revision);
            await using var body = await response.Content.ReadAsStreamAsync(cancellation);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellation);
            return (document.RootElement.Clone(), NextPage(response));
        }
    }

    // RFC 8288: Link: <https://huggingface.co/api/models/...?cursor=...>; rel="next". Only a page on the Hub itself is
    // followed: the token goes with each request.
    private string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var (open, close) = (link.IndexOf('<', StringComparison.Ordinal), link.IndexOf('>', StringComparison.Ordinal));
            if (open >= 0 && close > open && link.Contains("rel=\"next\"", StringComparison.Ordinal)
                && Uri.TryCreate(http.BaseAddress, link[(open + 1)..close], out var next) && next.Authority == http.BaseAddress?.Authority)
            {
                return next.ToString();
            }
        }

        return null;
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    private void EnsureSuccess(HttpResponseMessage response, string repo, string revision)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        throw new ModelInstallException(response.StatusCode switch
        {
            HttpStatusCode.NotFound => $"The Hub has no repository '{repo}' at revision '{revision}' (or it is private: set HF_TOKEN).",
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => token is null
                ? $"'{repo}' needs a Hub token: set HF_TOKEN (and accept the model's licence on its page)."
                : $"The Hub refused the token for '{repo}' ({(int)response.StatusCode}): check HF_TOKEN and the model's licence.",
            _ => $"The Hub answered {(int)response.StatusCode} {response.ReasonPhrase} for '{repo}'.",
        });
    }

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,95}(/[A-Za-z0-9][A-Za-z0-9_.\-]{0,95})?$", RegexOptions.NonBacktracking)]
    private static partial Regex RepoId();
}
