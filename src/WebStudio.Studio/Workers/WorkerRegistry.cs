using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Workers;

/// <summary>A worker as an administrator sees it: <see cref="CurrentJobId"/> from the running jobs' claims, the rest
/// from its last heartbeat. <see cref="Responding"/>: heard from within one lease.</summary>
public sealed record WorkerInfo(
    string Id,
    string HostName,
    int ProcessId,
    IReadOnlyList<string> Devices,
    IReadOnlyList<string> Models,
    IReadOnlyList<string> LoadedModels,
    Guid? CurrentJobId,
    long JobsDone,
    DateTime StartedAt,
    DateTime LastHeartbeatAt,
    bool Responding);

/// <summary>
/// The Workers table: each worker loop writes its row on its heartbeat (<see cref="BeatAsync"/>) and removes it when
/// it stops cleanly; a dead worker's row stays, its heartbeat growing old, until <see cref="ForgetAfter"/>.
/// </summary>
public sealed class WorkerRegistry(IDbContextFactory<StudioDbContext> dbFactory, IOptions<QueueOptions> options, TimeProvider time)
{
    /// <summary>Rows of workers silent this long are removed when the list is read.</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    /// <summary>Writes the worker's row (insert or update), its heartbeat stamped now.</summary>
    public async Task BeatAsync(WorkerRecord state, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Workers.FirstOrDefaultAsync(w => w.Id == state.Id, cancellationToken);
        if (row is null)
        {
            row = new WorkerRecord { Id = state.Id };
            db.Workers.Add(row);
        }

        row.HostName = state.HostName;
        row.ProcessId = state.ProcessId;
        row.Devices = [.. state.Devices];
        row.Models = [.. state.Models];
        row.LoadedModels = [.. state.LoadedModels];
        row.CurrentJobId = state.CurrentJobId;
        row.JobsDone = state.JobsDone;
        row.StartedAt = state.StartedAt;
        row.LastHeartbeatAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A worker that stops cleanly leaves the list, and a dead one when an administrator forgets it.</summary>
    public async Task RemoveAsync(string workerId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Workers.Where(w => w.Id == workerId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Every known worker, by host and id.</summary>
    public async Task<IReadOnlyList<WorkerInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var forgotten = now - ForgetAfter;
        await db.Workers.Where(w => w.LastHeartbeatAt < forgotten).ExecuteDeleteAsync(cancellationToken);
        var silentSince = now - options.Value.Lease;
        var rows = await db.Workers.AsNoTracking().ToListAsync(cancellationToken);
        // The current job as the claims have it now: a heartbeat's is up to an interval old, and a job of a few
        // seconds came and went between two beats, its worker shown idle throughout.
        var running = await db.Jobs.IgnoreQueryFilters().AsNoTracking()
            .Where(j => j.Status == JobStatus.Running && j.WorkerId != null)
            .Select(j => new { j.WorkerId, j.Id })
            .ToListAsync(cancellationToken);
        var current = running.GroupBy(j => j.WorkerId!).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
        return rows
            .OrderBy(w => w.HostName, StringComparer.Ordinal).ThenBy(w => w.Id, StringComparer.Ordinal)
            .Select(w => new WorkerInfo(w.Id, w.HostName, w.ProcessId, w.Devices, w.Models, w.LoadedModels,
                current.TryGetValue(w.Id, out var job) ? job : null,
                w.JobsDone, w.StartedAt, w.LastHeartbeatAt, w.LastHeartbeatAt >= silentSince))
            .ToList();
    }
}
