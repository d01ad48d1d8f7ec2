using System.Text;
using System.Text.Json;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Api;

/// <summary>
/// Writes a text/event-stream: each event is <c>event: NAME\ndata: JSON\n\n</c> (JSON has no raw newlines, so
/// one data line is enough), flushed at once so the client sees it while the job still runs.
/// </summary>
public sealed class ServerSentEvents(HttpResponse response)
{
    public bool Started { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // reverse proxies must not hold events back
        Started = true;
        await response.Body.FlushAsync(cancellationToken);
    }

    public async Task WriteAsync<T>(string name, T data, CancellationToken cancellationToken)
    {
        var text = $"event: {name}\ndata: {JsonSerializer.Serialize(data, ApiJson.Options)}\n\n";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
