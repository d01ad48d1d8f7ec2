using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WebStudio.Testing.Servers;

/// <summary>
/// A local stand-in for the Hugging Face Hub's HTTP API on a free loopback port (HttpListener): a revision's commit
/// (<c>/api/models/{repo}/revision/{rev}</c>), the file tree with LFS SHA-256s (<c>/api/models/{repo}/tree/{rev}/{path}?recursive=1</c>)
/// and the files (<c>/{repo}/resolve/{rev}/{path}</c>, honouring <c>Range</c>). Files over <see cref="LfsThreshold"/>
/// or ending in .onnx/.onnx_data are listed as LFS files. It can cut a file's download off once, serve a file whose
/// bytes do not match its hash, and ask for a token. Every request is recorded.
/// </summary>
public sealed class FakeHub : IAsyncDisposable
{
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";

    public const long LfsThreshold = 10 * 1024;

    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Dictionary<string, byte[]>> _repos = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _cutOnce = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _corrupt = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<HubRequest> _requests = new();
    private readonly Task _serving;

    public FakeHub()
    {
        for (var attempt = 0; ; attempt++)
        {
            Port = WebStudio.Tests.Shared.ChildProcess.FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // The port was taken between the probe and the start.
            }
        }

        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    /// <summary>A token the Hub requires (as a Bearer header) for every request; none: it requires none.</summary>
    public string? RequiredToken { get; set; }

    public IReadOnlyList<HubRequest> Requests => [.. _requests];

    /// <summary>Entries per page of a tree listing (the next page named by a Link header, as the Hub does); 0: one page.</summary>
    public int TreePageSize { get; set; }

    /// <summary>Serves the files under <paramref name="folder"/> as the repository <paramref name="repo"/>.</summary>
    public void AddFolder(string repo, string folder, string? under = null)
    {
        var files = _repos.GetOrAdd(repo, _ => new Dictionary<string, byte[]>(StringComparer.Ordinal));
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            files[under is null ? relative : $"{under}/{relative}"] = File.ReadAllBytes(file);
        }
    }

    public void AddFile(string repo, string path, byte[] bytes) =>
        _repos.GetOrAdd(repo, _ => new Dictionary<string, byte[]>(StringComparer.Ordinal))[path] = bytes;

    /// <summary>The next download of <paramref name="path"/> sends <paramref name="bytes"/> bytes, then drops the connection.</summary>
    public void CutOnce(string path, long bytes) => _cutOnce[path] = bytes;

    /// <summary>Serves other bytes for <paramref name="path"/> than its listed hash is of.</summary>
    public void Corrupt(string repo, string path)
    {
        var bytes = (byte[])_repos[repo][path].Clone();
        bytes[^1] ^= 0xFF;
        _corrupt[path] = bytes;
    }

    public static bool IsLfs(string path, int size) => size > LfsThreshold || path.EndsWith(".onnx", StringComparison.Ordinal) || path.EndsWith(".onnx_data", StringComparison.Ordinal);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = Uri.UnescapeDataString(request.Url!.AbsolutePath.TrimStart('/'));
        var record = new HubRequest(path, request.Headers["Range"], request.Headers["Authorization"]);
        try
        {
            if (RequiredToken is not null && request.Headers["Authorization"] != $"Bearer {RequiredToken}")
            {
                await WriteAsync(response, 401, "{\"error\":\"Invalid credentials\"}");
            }
            else if (path.StartsWith("api/models/", StringComparison.Ordinal))
            {
                await ApiAsync(response, path["api/models/".Length..], int.TryParse(request.QueryString["cursor"], out var cursor) ? cursor : 0);
            }
            else if (path.Split('/') is [var owner, var name, "resolve", _, ..] parts && _repos.TryGetValue($"{owner}/{name}", out var files)
                && files.TryGetValue(string.Join('/', parts[4..]), out var bytes))
            {
                await ResolveAsync(request, response, string.Join('/', parts[4..]), bytes, record);
            }
            else
            {
                await WriteAsync(response, 404, "{\"error\":\"Entry not found\"}");
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away.
        }
        finally
        {
            _requests.Enqueue(record);
        }
    }

    private async Task ApiAsync(HttpListenerResponse response, string rest, int cursor)
    {
        var parts = rest.Split('/');
        if (parts.Length < 4 || !_repos.TryGetValue($"{parts[0]}/{parts[1]}", out var files) || parts[3] is not ("main" or Commit))
        {
            await WriteAsync(response, 404, "{\"error\":\"Repository not found\"}");
            return;
        }

        if (parts[2] == "revision")
        {
            var siblings = files.Keys.Order(StringComparer.Ordinal).Select(p => new { rfilename = p });
            await WriteAsync(response, 200, JsonSerializer.Serialize(new { id = $"{parts[0]}/{parts[1]}", sha = Commit, siblings }));
            return;
        }

        var under = string.Join('/', parts[4..]);
        var prefix = under.Length > 0 ? under + "/" : "";
        var entries = new List<object>();
        foreach (var folder in files.Keys.SelectMany(Folders).Distinct().Where(f => f.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            entries.Add(new { type = "directory", oid = "0", size = 0, path = folder });
        }

        foreach (var (path, bytes) in files.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var oid = Convert.ToHexStringLower(SHA1.HashData(bytes));
            entries.Add(IsLfs(path, bytes.Length)
                ? new { type = "file", oid, size = (long)bytes.Length, path, lfs = new { oid = Convert.ToHexStringLower(SHA256.HashData(bytes)), size = (long)bytes.Length, pointerSize = 134 } }
                : (object)new { type = "file", oid, size = (long)bytes.Length, path });
        }

        if (TreePageSize > 0)
        {
            if (cursor + TreePageSize < entries.Count)
            {
                response.Headers["Link"] = $"<{Endpoint}api/models/{rest}?recursive=1&cursor={cursor + TreePageSize}>; rel=\"next\"";
            }

            entries = [.. entries.Skip(cursor).Take(TreePageSize)];
        }

        await WriteAsync(response, 200, JsonSerializer.Serialize(entries));
    }

    private static IEnumerable<string> Folders(string path)
    {
        var parts = path.Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            yield return string.Join('/', parts[..i]);
        }
    }

    private async Task ResolveAsync(HttpListenerRequest request, HttpListenerResponse response, string path, byte[] bytes, HubRequest record)
    {
        bytes = _corrupt.TryGetValue(path, out var corrupt) ? corrupt : bytes;
        long from = 0;
        if (request.Headers["Range"] is { } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-')
            && long.TryParse(range["bytes=".Length..^1], out var start))
        {
            if (start >= bytes.Length)
            {
                response.StatusCode = 416;
                response.Close();
                return;
            }

            from = start;
            response.StatusCode = 206;
            response.Headers["Content-Range"] = $"bytes {from}-{bytes.Length - 1}/{bytes.Length}";
        }

        response.ContentType = "application/octet-stream";
        response.ContentLength64 = bytes.Length - from;
        var cut = _cutOnce.TryRemove(path, out var limit) ? limit : long.MaxValue;
        long sent = 0;
        const int chunk = 64 * 1024;
        for (var offset = from; offset < bytes.Length; offset += chunk)
        {
            var count = (int)Math.Min(chunk, Math.Min(bytes.Length - offset, cut - sent));
            if (count <= 0)
            {
                break;
            }

            await response.OutputStream.WriteAsync(bytes.AsMemory((int)offset, count));
            sent += count;
            record.BytesSent = sent; // counted as it goes: a client that goes away has had this much
        }

        if (sent < bytes.Length - from)
        {
            await response.OutputStream.FlushAsync();
            response.Abort(); // the connection drops mid-file
            return;
        }

        response.Close();
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        // Stop ends the serving loop's wait and refuses any later one (Close alone can leave a wait that never ends).
        _listener.Stop();
        await _serving.ConfigureAwait(false);
        try
        {
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // On Linux, Close after Stop unbinds the port again, binding it afresh to remove its prefix, which fails
            // ("Address already in use") when another test's server has taken the freed port: nothing of ours is left.
        }
    }
}

/// <summary>One request the fake Hub answered: its path, Range and Authorization headers, and the file bytes it sent.</summary>
public sealed class HubRequest(string path, string? range, string? authorization)
{
    public string Path { get; } = path;

    public string? Range { get; } = range;

    public string? Authorization { get; } = authorization;

    public long BytesSent { get; set; }
}
