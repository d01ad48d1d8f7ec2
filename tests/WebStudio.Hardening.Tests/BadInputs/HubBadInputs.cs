using Microsoft.AspNetCore.SignalR.Client;

namespace WebStudio.Hardening.Tests.BadInputs;

/// <summary>The jobs hub's method, WatchJob, called with ids that are not the caller's jobs or not ids at all.</summary>
public static class HubBadInputs
{
    public static IEnumerable<BadInput> All()
    {
        // SignalR hides its own binding errors (wrong JSON type, wrong argument count) unless detailed errors are on;
        // the client then reads that invoking WatchJob failed, and nothing of the server's internals.
        return
        [
            new HubBadInput("hub WatchJob empty guid", c => Watch(c, Guid.Empty.ToString()), "job not found"),
            new HubBadInput("hub WatchJob unknown job", c => Watch(c, Guid.NewGuid().ToString()), "job not found"),
            new HubBadInput("hub WatchJob traversal id", c => Watch(c, "../../etc/passwd"), "jobId"),
            new HubBadInput("hub WatchJob encoded traversal id", c => Watch(c, "%2e%2e%2f%2e%2e"), "jobId"),
            new HubBadInput("hub WatchJob absolute path", c => Watch(c, "/etc/passwd"), "jobId"),
            new HubBadInput("hub WatchJob empty id", c => Watch(c, ""), "jobId"),
            new HubBadInput("hub WatchJob null id", c => Watch(c, null), "jobId"),
            new HubBadInput("hub WatchJob 30 kB id", c => Watch(c, new string('j', 30_000)), "jobId"),
            new HubBadInput("hub WatchJob invalid surrogate id", c => Watch(c, "\ud800"), "jobId"),
            new HubBadInput("hub WatchJob number", c => Watch(c, 42), "WatchJob"),
            new HubBadInput("hub WatchJob object", c => Watch(c, new { id = "x" }), "WatchJob"),
            new HubBadInput("hub WatchJob two arguments", c => Drain(c.StreamAsync<object>("WatchJob", Guid.NewGuid().ToString(), "extra")), "WatchJob"),
            new HubBadInput("hub WatchJob no argument", c => Drain(c.StreamAsync<object>("WatchJob")), "WatchJob"),
            new HubBadInput("hub WatchJob invoked without streaming", c => c.InvokeAsync<object>("WatchJob", Guid.NewGuid().ToString()), "stream"),
            new HubBadInput("hub unknown method", c => c.InvokeAsync("DropAllTables"), "DropAllTables"),
        ];
    }

    private static Task Watch(HubConnection connection, object? id) => Drain(connection.StreamAsync<object>("WatchJob", id));

    private static async Task Drain(IAsyncEnumerable<object> stream)
    {
        await foreach (var _ in stream)
        {
        }
    }
}
