using System.Text;
using System.Text.Json;

namespace WebStudio.Api.Tests.Infrastructure;

/// <summary>One server-sent event as it came off the wire.</summary>
public sealed record SseEvent(string Name, JsonElement Data, string Raw);

/// <summary>
/// Reads a text/event-stream strictly: every event must be exactly "event: NAME\ndata: JSON\n\n", so framing
/// mistakes (missing blank line, extra fields, CRLF) fail the test instead of being tolerated.
/// </summary>
public static class SseReader
{
    public static async IAsyncEnumerable<SseEvent> ReadAsync(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var block = new StringBuilder();
        while (true)
        {
            var line = await reader.ReadLineAsync();
            if (line is null)
            {
                Assert.True(block.Length == 0, $"the stream ended inside an event: {block}");
                yield break;
            }

            if (line.Length > 0)
            {
                block.Append(line).Append('\n');
                continue;
            }

            var raw = block.ToString();
            block.Clear();
            var lines = raw.TrimEnd('\n').Split('\n');
            Assert.True(lines.Length == 2, $"an event must have one event line and one data line: {Shorten(raw)}");
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            using var json = JsonDocument.Parse(lines[1]["data: ".Length..]);
            yield return new SseEvent(lines[0]["event: ".Length..], json.RootElement.Clone(), raw);
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
