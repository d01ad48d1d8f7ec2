using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace WebStudio.ScaleOut.Tests.Cluster;

/// <summary>A signed-in user's SignalR client of a web node's jobs hub, as the studio's pages connect to it.</summary>
public static class JobsHub
{
    /// <summary>Long polling, so that a killed node breaks the connection at the next poll.</summary>
    public static async Task<HubConnection> ConnectAsync(StudioHost node, CookieContainer cookies)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(node.BaseAddress, "/hubs/jobs"), options =>
            {
                options.Transports = HttpTransportType.LongPolling;
                options.Headers["Cookie"] = cookies.GetCookieHeader(node.BaseAddress);
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
