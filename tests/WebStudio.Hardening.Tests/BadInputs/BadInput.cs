using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace WebStudio.Hardening.Tests.BadInputs;

/// <summary>What came back for a bad input: a status, the text that explains it, and how long it took.</summary>
public sealed record BadAnswer(int Status, string? MediaType, string Text, TimeSpan Elapsed);

/// <summary>
/// One hostile or malformed input and the answer it must get: <see cref="Status"/>, and <see cref="Names"/> (the
/// field, limit or problem) somewhere in the explanation.
/// </summary>
public abstract record BadInput(string Name, int Status, string Names)
{
    public abstract Task<BadAnswer> SendAsync(BadInputStudio studio);
}

/// <summary>An HTTP request. <paramref name="Param"/>: on /v1, the OpenAI error's "param" must be exactly this.</summary>
public sealed record HttpBadInput(string Name, Caller Caller, Func<BadInputStudio, HttpRequestMessage> Build, int Status, string Names, bool Param = false)
    : BadInput(Name, Status, Names)
{
    public override async Task<BadAnswer> SendAsync(BadInputStudio studio)
    {
        using var request = Build(studio);

        // A large body waits for the server's go-ahead, as careful clients do, so that a refusal by its Content-Length
        // is read instead of breaking the pipe of a body still being sent.
        request.Headers.ExpectContinue = request.Content?.Headers.ContentLength > 1024 * 1024;
        var clock = Stopwatch.StartNew();
        using var response = await studio.Client(Caller).SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        clock.Stop();

        // Kestrel refuses some requests (a 10 kB request line) before the app sees them: its reason phrase is the text.
        return new BadAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, $"{response.ReasonPhrase}\n{body}", clock.Elapsed);
    }
}

/// <summary>
/// A call on the jobs hub. A hub call has no HTTP status: a refusal (a HubException, whose message reaches the
/// client) counts as 400; SignalR's bare "unexpected error", which means the hub threw something it did not handle,
/// counts as 500.
/// </summary>
public sealed record HubBadInput(string Name, Func<HubConnection, Task> Call, string Names) : BadInput(Name, 400, Names)
{
    public override async Task<BadAnswer> SendAsync(BadInputStudio studio)
    {
        await using var connection = await studio.HubAsync();
        var clock = Stopwatch.StartNew();
        try
        {
            await Call(connection).WaitAsync(TimeSpan.FromSeconds(30));
            return new BadAnswer(200, null, "the call succeeded", clock.Elapsed);
        }
        catch (HubException ex)
        {
            // SignalR passes a HubException's message on; any other exception's it hides behind "unexpected error".
            var refused = ex.Message.Contains("HubException", StringComparison.Ordinal) || !ex.Message.Contains("unexpected error", StringComparison.OrdinalIgnoreCase);
            return new BadAnswer(refused ? 400 : 500, null, ex.Message, clock.Elapsed);
        }
    }
}
