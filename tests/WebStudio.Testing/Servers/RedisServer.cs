using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace WebStudio.Tests.Shared;

/// <summary>
/// A real <c>redis-server</c> (Debian's package; tests/test.sh installs it when missing) on a free loopback port,
/// with no persistence, removed on dispose. <see cref="StopAsync"/> and <see cref="StartAsync()"/> take it down and
/// bring it back on the same port, for the tests of what the studio does while Redis is away.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];
    private readonly TempFolder _folder = new();
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for the studio's <c>Redis:Configuration</c>.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartNewAsync()
    {
        var server = new RedisServer(ChildProcess.FreePort());
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var binary = Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed: run `apt-get install redis-server` (tests/test.sh does it).");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _folder.Path, "--daemonize", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StringBuilder();
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!await PingsAsync())
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                lock (log)
                {
                    throw new InvalidOperationException($"redis-server did not answer on port {Port}:\n{log}");
                }
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Kills the server at once, as a crash or a cut network would take it away.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task<bool> PingsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _folder.Dispose();
    }
}
