using Yarp.ReverseProxy.Configuration;

namespace WebStudio.Proxy;

/// <summary>
/// One route to one cluster of web nodes. Sessions are sticky by cookie, because a Blazor Server circuit (and its
/// SignalR connection) lives on the node that opened it; when that node fails its /readyz checks, the browser is
/// redistributed to a healthy node and starts a new circuit there. Streams and WebSockets pass through, and the
/// browser's Host header is kept.
/// </summary>
public static class StudioProxyConfig
{
    public const string ClusterId = "studio";

    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) For(ProxyOptions options)
    {
        if (options.Nodes.Count == 0)
        {
            throw new InvalidOperationException("No web nodes configured: set Proxy:Nodes:0, Proxy:Nodes:1, ... to their base addresses.");
        }

        var route = new RouteConfig
        {
            RouteId = "all",
            ClusterId = ClusterId,
            Match = new RouteMatch { Path = "{**catch-all}" },

            // The nodes see the address the browser used: their redirects and absolute links point back through the
            // proxy, not at a node (a browser's form-action policy refuses a form posted on to another origin).
            // X-Forwarded-For, -Proto and -Host are added as well (YARP's default).
            Transforms = [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }],
        };
        var cluster = new ClusterConfig
        {
            ClusterId = ClusterId,
            LoadBalancingPolicy = "PowerOfTwoChoices",
            SessionAffinity = new SessionAffinityConfig
            {
                Enabled = true,
                Policy = "HashCookie",
                FailurePolicy = "Redistribute",
                AffinityKeyName = options.AffinityCookie,
                Cookie = new SessionAffinityCookieConfig { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true },
            },
            HealthCheck = new HealthCheckConfig
            {
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = options.HealthCheckInterval,
                    Timeout = TimeSpan.FromSeconds(2),
                    Policy = "ConsecutiveFailures",
                    Path = "/readyz",
                },
                Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = "TransportFailureRate", ReactivationPeriod = TimeSpan.FromSeconds(10) },
            },
            Destinations = options.Nodes.Select((node, i) => (node, i))
                .ToDictionary(d => $"node{d.i + 1}", d => new DestinationConfig { Address = d.node }),
        };
        return ([route], [cluster]);
    }
}
