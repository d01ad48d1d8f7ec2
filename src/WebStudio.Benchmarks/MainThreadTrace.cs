using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace WebStudio.Benchmarks;

/// <summary>
/// A Chromium trace of one visit, summed by event name on the renderer's main thread: what kept the first paint
/// waiting (HISTORY_BENCH_TRACE=1). Inclusive times, so a parent and its children both count.
/// </summary>
public sealed class MainThreadTrace
{
    private readonly ICDPSession devTools;
    private readonly List<JsonElement> events = [];
    private readonly TaskCompletionSource complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MainThreadTrace(ICDPSession devTools)
    {
        this.devTools = devTools;
        devTools.Event("Tracing.dataCollected").OnEvent += (_, data) =>
        {
            lock (events)
            {
                events.AddRange(data!.Value.GetProperty("value").EnumerateArray().Select(e => e.Clone()));
            }
        };
        devTools.Event("Tracing.tracingComplete").OnEvent += (_, _) => complete.TrySetResult();
    }

    public static async Task<MainThreadTrace> StartAsync(ICDPSession devTools)
    {
        var trace = new MainThreadTrace(devTools);
        await devTools.SendAsync("Tracing.start", new()
        {
            ["transferMode"] = "ReportEvents",
            ["categories"] = "devtools.timeline,disabled-by-default-devtools.timeline,blink,loading,v8.execute,toplevel",
        });
        return trace;
    }

    /// <param name="file">Where to write the whole trace too (Chrome's JSON array format), or null.</param>
    public async Task<string> StopAsync(string? file, int top = 18)
    {
        await devTools.SendAsync("Tracing.end");
        await complete.Task.WaitAsync(TimeSpan.FromSeconds(30));
        lock (events)
        {
            if (file is not null)
            {
                File.WriteAllText(file, JsonSerializer.Serialize(events));
            }

            var main = events.Where(e => e.GetProperty("ph").GetString() == "M" && e.GetProperty("name").GetString() == "thread_name"
                    && e.GetProperty("args").GetProperty("name").GetString() == "CrRendererMain")
                .Select(e => (e.GetProperty("pid").GetInt64(), e.GetProperty("tid").GetInt64())).ToHashSet();
            var sums = events.Where(e => e.GetProperty("ph").GetString() == "X" && e.TryGetProperty("dur", out _)
                    && main.Contains((e.GetProperty("pid").GetInt64(), e.GetProperty("tid").GetInt64())))
                .GroupBy(e => e.GetProperty("name").GetString()!)
                .Select(g => (Name: g.Key, Ms: g.Sum(e => e.GetProperty("dur").GetDouble()) / 1000, Count: g.Count()))
                .OrderByDescending(s => s.Ms).Take(top);
            return string.Join(", ", sums.Select(s => $"{s.Name} {s.Ms.ToString("0", CultureInfo.InvariantCulture)} ms ×{s.Count}"));
        }
    }
}
