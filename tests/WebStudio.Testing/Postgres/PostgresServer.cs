using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace WebStudio.Tests.Shared;

/// <summary>
/// A real PostgreSQL server for one test assembly (a collection fixture), started by the tests themselves:
/// <c>initdb</c> and <c>pg_ctl</c> in a temporary folder, listening on a free loopback port with its socket in that
/// folder, fsync off. As root (CI) it runs as the unprivileged user <c>postgres</c>, which owns the folder, since
/// PostgreSQL refuses to run as root. Each test gets a database of its own (<see cref="CreateDatabaseAsync"/>).
/// Stopped and removed on dispose, whatever the tests did; a server left behind by a killed test run is removed by
/// the next start.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime, IDisposable
{
    /// <summary>Overrides where initdb, pg_ctl and pg_isready are looked for.</summary>
    public const string BinFolderVariable = "WEBSTUDIO_POSTGRES_BIN";

    /// <summary>The account the server runs as when the tests run as root.</summary>
    public const string ServiceUser = "postgres";

    private const string Superuser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly object _stopLock = new();
    private bool _running;

    public string BinFolder { get; private set; } = "";

    /// <summary>The server's own temporary folder: data/, the socket and server.log.</summary>
    public string Folder { get; private set; } = "";

    public int Port { get; private set; }

    public string DataFolder => Path.Combine(Folder, "data");

    public string LogPath => Path.Combine(Folder, "server.log");

    /// <summary>A connection to <paramref name="database"/> as the superuser, over loopback TCP (trust authentication).</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = Superuser,
        Database = database,
        Timeout = 30,
        CommandTimeout = 60,
    }.ToString();

    public async Task InitializeAsync()
    {
        BinFolder = FindBinFolder();
        var asServiceUser = Environment.IsPrivilegedProcess;
        if (asServiceUser && !await UserExistsAsync(ServiceUser))
        {
            throw new InvalidOperationException($"The tests run as root, and PostgreSQL refuses root: they start it as the user '{ServiceUser}', which does not exist here (install the postgresql package, or useradd {ServiceUser}).");
        }

        var parent = ParentFolder();
        RemoveLeftovers(parent);
        Folder = Path.Combine(parent, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        try
        {
            if (asServiceUser)
            {
                await RunAsync("chown", [$"{ServiceUser}:", Folder], asServiceUser: false);
            }

            await RunPostgresToolAsync("initdb", ["-D", DataFolder, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
            await StartServerAsync();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>A fresh, empty database (CREATE DATABASE) for one test; dropping it is the caller's dispose.</summary>
    public async Task<PostgresDatabase> CreateDatabaseAsync()
    {
        var name = "test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new PostgresDatabase(this, name, ConnectionString(name));
    }

    internal async Task DropDatabaseAsync(string name, string connectionString)
    {
        // The test's pooled connections would hold the database open; FORCE ends any that are still in use.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        if (!_running)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// An outage: stops the server (fast shutdown, which ends every session as a restart does), keeping its data and
    /// port for <see cref="StartAsync"/>. Clients get connection errors meanwhile.
    /// </summary>
    public async Task StopAsync()
    {
        _running = false;
        await RunPostgresToolAsync("pg_ctl", ["-D", DataFolder, "-m", "fast", "-w", "-t", "30", "stop"]);
    }

    /// <summary>Starts the server stopped by <see cref="StopAsync"/> again, on the same port, with the same data.</summary>
    public Task StartAsync() => StartServerAsync(samePort: true);

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        lock (_stopLock)
        {
            if (Folder.Length == 0)
            {
                return;
            }

            _running = false;
            NpgsqlConnection.ClearAllPools();
            StopAndRemove(BinFolder, Folder);
            Folder = "";
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    private async Task StartServerAsync(bool samePort = false)
    {
        // A free port can be taken between the probe and the server's bind: try another a few times.
        for (var attempt = 1; ; attempt++)
        {
            Port = samePort ? Port : FreeLoopbackPort();
            var options = $"-p {Port} -k {Folder} -c listen_addresses={IPAddress.Loopback} -c unix_socket_permissions=0700 "
                + "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB";
            try
            {
                await RunPostgresToolAsync("pg_ctl", ["-D", DataFolder, "-l", LogPath, "-o", options, "-w", "-t", ((int)StartTimeout.TotalSeconds).ToString(), "start"]);
                _running = true;
                await WaitUntilReadyAsync();
                return;
            }
            catch (InvalidOperationException) when (!samePort && attempt < 3 && ServerLog().Contains("could not bind", StringComparison.OrdinalIgnoreCase))
            {
                await RunPostgresToolAsync("pg_ctl", ["-D", DataFolder, "-m", "immediate", "-w", "stop"], check: false);
            }
        }
    }

    /// <summary>pg_ctl -w already waited; this proves it from the client's side (pg_isready, then a query).</summary>
    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var ready = await RunPostgresToolAsync("pg_isready", ["-h", IPAddress.Loopback.ToString(), "-p", Port.ToString(), "-U", Superuser, "-d", "postgres"], check: false);
            if (ready.ExitCode == 0)
            {
                try
                {
                    await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                    await connection.OpenAsync();
                    await using var command = new NpgsqlCommand("SELECT 1", connection);
                    await command.ExecuteScalarAsync();
                    return;
                }
                catch (NpgsqlException) when (deadline.Elapsed < StartTimeout)
                {
                }
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"PostgreSQL on port {Port} was not ready after {StartTimeout.TotalSeconds:0} s: {ready.Output}\n{ServerLog()}");
            }

            await Task.Delay(100);
        }
    }

    private string ServerLog()
    {
        try
        {
            return File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private Task<(int ExitCode, string Output)> RunPostgresToolAsync(string tool, string[] arguments, bool check = true) =>
        RunAsync(Path.Combine(BinFolder, tool), arguments, Environment.IsPrivilegedProcess, check);

    /// <summary>Runs a program (as <see cref="ServiceUser"/> through runuser when asked), with its output kept for the error.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, bool asServiceUser, bool check = true)
    {
        var start = new ProcessStartInfo(asServiceUser ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asServiceUser)
        {
            foreach (var part in new[] { "-u", ServiceUser, "--", program })
            {
                start.ArgumentList.Add(part);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = (await output + await error).Trim();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {text}");
        }

        return (process.ExitCode, text);
    }

    private static void StopAndRemove(string binFolder, string folder)
    {
        var data = Path.Combine(folder, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            // Immediate: the data is thrown away, so there is nothing to flush.
            var stop = RunAsync(Path.Combine(binFolder, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"], Environment.IsPrivilegedProcess, check: false);
            stop.Wait(TimeSpan.FromSeconds(40));
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next start's sweep.
        }
    }

    /// <summary>Servers whose test process is gone (killed before its dispose ran): stopped and removed.</summary>
    private void RemoveLeftovers(string parent)
    {
        foreach (var folder in Directory.EnumerateDirectories(parent))
        {
            var name = Path.GetFileName(folder);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(name[..dash], out var pid) && !IsAlive(pid))
            {
                StopAndRemove(BinFolder, folder);
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// One folder per account under the system temp folder. As root, /tmp: the service user must be able to reach
    /// its folder, and a TMPDIR under /root would not let it.
    /// </summary>
    private static string ParentFolder()
    {
        var root = Environment.IsPrivilegedProcess ? "/tmp" : Path.GetTempPath();
        var parent = Path.Combine(root, $"webstudio-postgres-{Environment.UserName}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(parent);
        }
        else
        {
            Directory.CreateDirectory(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        return parent;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> UserExistsAsync(string user) => (await RunAsync("id", ["-u", user], asServiceUser: false, check: false)).ExitCode == 0;

    /// <summary>
    /// <see cref="BinFolderVariable"/>, else the newest /usr/lib/postgresql/N/bin (Debian's layout), else initdb on
    /// the PATH. None: an error that names what is missing and how to install it.
    /// </summary>
    public static string FindBinFolder() => FindBinFolder(DefaultBinCandidates());

    /// <summary>The first of <paramref name="candidates"/> that holds initdb and pg_ctl.</summary>
    public static string FindBinFolder(IEnumerable<string> candidates)
    {
        foreach (var folder in candidates)
        {
            if (File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")))
            {
                return folder;
            }
        }

        throw new InvalidOperationException(
            $"PostgreSQL is not installed: no initdb and pg_ctl in {BinFolderVariable}, /usr/lib/postgresql/*/bin or the PATH. "
            + "Install PostgreSQL 15 (Debian: apt-get install postgresql-15), or set " + BinFolderVariable + " to its bin folder.");
    }

    private static List<string> DefaultBinCandidates()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable(BinFolderVariable) is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.EnumerateDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var version) ? version : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return candidates;
    }
}
