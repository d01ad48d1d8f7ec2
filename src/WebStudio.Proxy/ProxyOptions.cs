namespace WebStudio.Proxy;

/// <summary>The "Proxy" section: the web nodes behind the proxy.</summary>
public sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>Base addresses of the web nodes, e.g. <c>http://127.0.0.1:5001</c>.</summary>
    public List<string> Nodes { get; set; } = [];

    /// <summary>The cookie that pins a browser to its node (its Blazor circuit lives there).</summary>
    public string AffinityCookie { get; set; } = ".WebStudio.Node";

    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}
