using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using WebStudio.Data;

namespace WebStudio.Web.Api;

/// <summary>
/// A streamed generation or edit: the platform's <see cref="TypedResults.ServerSentEvents{T}(IAsyncEnumerable{SseItem{T}})"/>
/// writes OpenAI's <c>partial_image</c>, <c>completed</c> and <c>error</c> events, each <c>event: NAME</c> and one
/// <c>data: JSON</c> line (the JSON is written with <see cref="ApiJson.Options"/> and has no raw newlines); the stream
/// ends after the last completed event. A client that goes away abandons its jobs.
/// </summary>
public sealed class ImageEventStream(ApiImageService images, ImageRequest request, string userId, ApiSubmission submission) : IResult
{
    private Task<IReadOnlyList<GeneratedImage>>? _wait;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var aborted = httpContext.RequestAborted;
        httpContext.Response.Headers["X-Accel-Buffering"] = "no"; // reverse proxies must not hold events back
        try
        {
            await TypedResults.ServerSentEvents(EventsAsync(httpContext.Response, aborted)).ExecuteAsync(httpContext);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && aborted.IsCancellationRequested)
        {
            // The client went away; handled below, whether or not the result let the cancellation out.
        }
        finally
        {
            // The client went away: while its jobs ran, or before the wait began (as the headers were written, say).
            // Nobody will read the result, so its jobs go too, once this request's own subscription has gone (the
            // wait ends on the same token); at shutdown they stay queued. In a finally, so that whatever the
            // platform's result does on a cancelled request (end quietly, or throw an exception of another kind),
            // the jobs are not left to run for nobody.
            if (aborted.IsCancellationRequested
                && !httpContext.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested)
            {
                if (_wait is { } wait)
                {
                    await ((Task)wait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                await images.AbandonAsync(userId, submission.Jobs);
            }
        }
    }

    private async IAsyncEnumerable<SseItem<string>> EventsAsync(HttpResponse response, [EnumeratorCancellation] CancellationToken aborted = default)
    {
        // The headers go out at once, so that the client knows its stream is open while the job waits in the queue.
        await response.Body.FlushAsync(aborted);

        var quality = ApiQuality.Reported(request.Quality);
        var background = request.Background == "auto" ? "opaque" : request.Background;

        // Partials are handed over by the worker's thread and encoded here, so the watch loop never falls behind the steps.
        var partials = Channel.CreateUnbounded<(int Index, byte[] Png)>(new UnboundedChannelOptions { SingleReader = true });
        _wait = WaitAsync(partials.Writer, aborted);
        await foreach (var (index, png) in partials.Reader.ReadAllAsync(aborted))
        {
            var partial = ApiImageService.EncodePartial(png, submission, request);
            yield return Event(new ImageStreamEvent($"{request.EventPrefix}.partial_image", Convert.ToBase64String(partial), DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                submission.Size, quality, background, request.OutputFormat, PartialImageIndex: index));
        }

        var (results, failure) = await SettleAsync(_wait);
        if (failure is not null)
        {
            yield return Error(failure);
            yield break;
        }

        var usage = await images.UsageAsync(submission, request, aborted);
        foreach (var image in results!)
        {
            if (await images.ReadImageAsync(image, request.OutputFormat, request.OutputCompression, aborted) is not { } bytes)
            {
                yield return Error(new ApiException(StatusCodes.Status500InternalServerError, "A finished image file is missing.", null, "image_missing"));
                yield break;
            }

            yield return Event(new ImageStreamEvent($"{request.EventPrefix}.completed", Convert.ToBase64String(bytes), DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                submission.Size, quality, background, request.OutputFormat, Usage: usage));
        }
    }

    private async Task<IReadOnlyList<GeneratedImage>> WaitAsync(ChannelWriter<(int, byte[])> partials, CancellationToken aborted)
    {
        try
        {
            return await images.WaitAsync(submission, request, (index, png) => partials.TryWrite((index, png)), aborted);
        }
        finally
        {
            partials.TryComplete();
        }
    }

    /// <summary>The wait's images, or the refusal to send as the stream's error event (a job that failed, a shutdown).</summary>
    private static async Task<(IReadOnlyList<GeneratedImage>? Results, ApiException? Failure)> SettleAsync(Task<IReadOnlyList<GeneratedImage>> wait)
    {
        try
        {
            return (await wait, null);
        }
        catch (ApiException ex)
        {
            return (null, ex);
        }
    }

    private static SseItem<string> Event(ImageStreamEvent data) => new(JsonSerializer.Serialize(data, ApiJson.Options), data.Type);

    /// <summary>An error after the stream has started: OpenAI's "error" event.</summary>
    private static SseItem<string> Error(ApiException ex) =>
        new(JsonSerializer.Serialize(new { type = "error", error = OpenAIError.From(ex).Error }, ApiJson.Options), "error");
}
