using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using WebStudio.Data;
using WebStudio.Studio.Options;
using WebStudio.Studio.Queue;

namespace WebStudio.Hardening.Tests.Abuse;

/// <summary>
/// The submission rate limiter on a real (SQLite) studio database and a fake clock: each accepted submission is a
/// job row created at the clock's time, as JobQueue stores it, so the limiter reads the same log it does in the studio.
/// </summary>
internal sealed class RateLimitLog : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _clock;
    private readonly DbContextOptions<StudioDbContext> _options;
    private readonly HashSet<string> _users = new(StringComparer.Ordinal);

    public RateLimitLog(FakeTimeProvider clock, int limit)
    {
        _clock = clock;
        var builder = new DbContextOptionsBuilder<StudioDbContext>();
        builder.UseStudioSqlite(StudioDatabase.ConnectionString(_folder.Combine("studio.db")));
        _options = builder.Options;
        using var db = new StudioDbContext(_options);
        StudioDatabase.MigrateAndConfigure(db);
        Limiter = new SubmissionRateLimiter(Microsoft.Extensions.Options.Options.Create(new QueueOptions { SubmissionsPerMinute = limit }), clock);
    }

    public SubmissionRateLimiter Limiter { get; }

    /// <summary>One submission now: null and a stored job when allowed, else the wait the studio would answer.</summary>
    public TimeSpan? TryAcquire(string user)
    {
        using var db = new StudioDbContext(_options);
        if (_users.Add(user))
        {
            db.Users.Add(new StudioUser { Id = user, UserName = user, NormalizedUserName = user.ToUpperInvariant() });
            db.SaveChanges();
        }

        var now = Limiter.Now();
        if (Limiter.CheckAsync(db, user, now).GetAwaiter().GetResult() is { } wait)
        {
            return wait;
        }

        db.Jobs.Add(new GenerationJob { OwnerId = user, Model = "tiny", Prompt = "p", Spec = "{}", CreatedAt = now });
        db.SaveChanges();
        return null;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
