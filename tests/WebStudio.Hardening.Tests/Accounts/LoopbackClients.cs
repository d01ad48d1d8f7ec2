using System.Net;
using System.Net.Sockets;

namespace WebStudio.Hardening.Tests.Accounts;

/// <summary>
/// Browser-like clients (cookies, no redirects followed) whose connections leave from a chosen loopback address, so
/// one test can play callers at different addresses: Linux routes all of 127.0.0.0/8 to the loopback interface.
/// </summary>
public static class LoopbackClients
{
    /// <summary>127.0.0.<paramref name="last"/>.</summary>
    public static IPAddress Address(int last) => new(new byte[] { 127, 0, 0, (byte)last });

    public static HttpClient From(IPAddress source, Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }
}
