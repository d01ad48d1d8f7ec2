using System.Security.Cryptography;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.JSInterop;
using WebStudio.Studio.Plots;

namespace WebStudio.Web.Engine;

/// <summary>
/// The Generate page's last run of several jobs (a dynamic prompt's, or a plot's with its axes), kept in the tab's
/// session storage, protected by Data Protection: so that the strip under the panel comes back after a reload, or a
/// visit to another page, in the same tab. Only the job ids and the axes are kept; the jobs are read again, as the
/// user may see them.
/// </summary>
public sealed class LastRunStorage(ProtectedSessionStorage storage, ILogger<LastRunStorage> log)
{
    private const string Key = "webstudio.last-run";

    public Task SaveAsync(IEnumerable<Guid> jobs, XyPlotAxes? axes) => Quietly(() => storage.SetAsync(Key, new LastRun([.. jobs], axes)).AsTask());

    public Task ForgetAsync() => Quietly(() => storage.DeleteAsync(Key).AsTask());

    /// <summary>The run kept, or null where there is none, or it cannot be read (keys rotated, a tampered value).</summary>
    public async Task<LastRun?> ReadAsync()
    {
        try
        {
            var read = await storage.GetAsync<LastRun>(Key);
            return read.Success ? read.Value : null;
        }
        catch (Exception e) when (e is CryptographicException or System.Text.Json.JsonException)
        {
            log.LogInformation(e, "The last run kept in the tab could not be read; it is dropped.");
            await ForgetAsync();
            return null;
        }
        catch (JSDisconnectedException)
        {
            return null; // the tab closed
        }
    }

    private static async Task Quietly(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (JSDisconnectedException)
        {
            // The tab closed: nothing to keep it for.
        }
    }
}

/// <summary>A run as kept: its jobs in order, and its plot's axes where it was a plot.</summary>
public sealed record LastRun(IReadOnlyList<Guid> Jobs, XyPlotAxes? Axes);
