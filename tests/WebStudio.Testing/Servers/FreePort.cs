using System.Net;
using System.Net.Sockets;

namespace WebStudio.Tests.Shared;

/// <summary>A loopback TCP port that was free a moment ago (a server started at once on it almost always gets it).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
