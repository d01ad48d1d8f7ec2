using Microsoft.EntityFrameworkCore;
using Npgsql;
using WebStudio.Data;
using WebStudio.Studio.Previews;

namespace WebStudio.Studio.Queue;

/// <summary>
/// On PostgreSQL without Redis, the queue's two signals cross processes through LISTEN/NOTIFY: "a job was queued"
/// wakes idle workers everywhere at once, and "the queue changed" refreshes queue views on every node. Each process
/// ignores its own notifications (the protocol: <see cref="QueueSignalBridge"/>; this is its transport). With Redis configured, Redis carries them instead (this service is removed); on
/// SQLite it does nothing. The database poll stays as the safety net, and a lost listening connection is reopened.
/// </summary>
public sealed class PostgresQueueSignals(
    IDbContextFactory<StudioDbContext> dbFactory,
    QueueSignal signal,
    JobProgressNotifier notifier,
    ILogger<PostgresQueueSignals> logger) : BackgroundService
{
    private const string Channel = "webstudio_queue";
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    private readonly QueueSignalBridge _bridge = new(signal, notifier);
    private NpgsqlDataSource? _notify;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string connectionString;
        await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
        {
            if (!db.Database.IsNpgsql())
            {
                return;
            }

            connectionString = db.Database.GetConnectionString()!;
        }

        await using var notify = NpgsqlDataSource.Create(connectionString);
        try
        {
            // One pooled connection opened ahead, so that the first signal does not wait for a connection and its login.
            await using var warm = await notify.OpenConnectionAsync(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested && (DatabaseOutage.IsOutage(ex) || ex is NpgsqlException))
        {
            logger.LogDebug(ex, "Could not open a connection for queue signals yet");
        }

        _notify = notify;
        var sending = _bridge.Connect(Send);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ListenAsync(connectionString, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested && (DatabaseOutage.IsOutage(ex) || ex is NpgsqlException))
                {
                    logger.LogDebug(ex, "Listening for queue signals failed; reconnecting");
                    await Task.Delay(Reconnect, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
        finally
        {
            sending.Dispose();
            _notify = null;
        }
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        connection.Notification += (_, e) => _bridge.Receive(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await connection.WaitAsync(stoppingToken);
        }
    }

    // Off the caller's path (a submission or a claim): a failed notification costs only a poll interval elsewhere.
    private void Send(QueueSignalKind kind, string origin)
    {
        if (_notify is not { } source)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await using var command = source.CreateCommand("SELECT pg_notify(@channel, @payload)");
                command.Parameters.AddWithValue("channel", Channel);
                command.Parameters.AddWithValue("payload", QueueSignalBridge.Encode(kind, origin));
                await command.ExecuteNonQueryAsync();
            }
            catch (Exception ex) when (ex is NpgsqlException or ObjectDisposedException or InvalidOperationException)
            {
                logger.LogDebug(ex, "A queue signal was not sent");
            }
        });
    }
}
