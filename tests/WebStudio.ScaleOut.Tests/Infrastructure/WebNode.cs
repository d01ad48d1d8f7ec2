namespace WebStudio.ScaleOut.Tests.Infrastructure;

/// <summary>
/// One web node of a cluster: the whole studio on Kestrel (its own temp folder, the tiny model) on a shared
/// PostgreSQL database. Several nodes on one connection string are several app instances behind a load balancer.
/// </summary>
public sealed class WebNode(string connectionString, IDictionary<string, string?>? settings = null, TimeSpan stepPause = default)
    : StudioHost(new StudioHostOptions { Settings = Merge(connectionString, settings), StepPause = stepPause })
{
    /// <summary>Starts a node; the caller disposes it.</summary>
    public static async Task<WebNode> StartAsync(string connectionString, IDictionary<string, string?>? settings = null, TimeSpan stepPause = default)
    {
        var node = new WebNode(connectionString, settings, stepPause);
        await node.InitializeAsync();
        return node;
    }

    private static Dictionary<string, string?> Merge(string connectionString, IDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Studio:Database"] = "Postgres",
            ["Studio:ConnectionString"] = connectionString,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return all;
    }
}
