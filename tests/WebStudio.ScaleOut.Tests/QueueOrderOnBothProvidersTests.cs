using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Queue;

namespace WebStudio.ScaleOut.Tests;

/// <summary>
/// The run order the database gives (ORDER BY on the queue's index), on SQLite and on PostgreSQL: the queue page's
/// order and the claims' order are the same. Fair: each user's n-th job before anyone's (n+1)-th, a user served in
/// the round being served waits for the next; FIFO: submission order; moved-to-front jobs first under both.
/// </summary>
[Trait("Capability", "ScaleOut")]
[Collection(PostgresCollection.Name)]
public sealed class QueueOrderOnBothProvidersTests(PostgresServer server)
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Fair_policy_serves_each_users_nth_job_before_anyones_next(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var names = new Dictionary<string, string>();
        var owners = await SubmitAsync(core, names, "A", "A", "A", "A", "A", "B", "C", "C");

        Assert.Equal("A,B,C,A,C,A,A,A", await OrderAsync(core, names));
        // A user's queue page numbers their jobs in the same order, in SQL.
        var view = await core.Services.GetRequiredService<QueueSnapshot>().GetAsync(names["C"], isAdmin: false);
        Assert.Equal(8, view.Queued);
        Assert.Equal([3, 5], view.Entries.Select(e => e.Position));
        Assert.True(view.Entries[1].Eta > view.Entries[0].Eta);
        Assert.Equal("A,B,C,A,C,A,A,A", await ClaimAllAsync(core, names));
        Assert.Equal(5, owners.Count(o => o == names["A"]));
    }

    // The old order put the user served least recently first (by time); rounds put a user served in the round being
    // served behind everyone still waiting in it, and a new user's first job into that round.
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_user_just_served_waits_behind_those_still_waiting_in_the_round(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var names = new Dictionary<string, string>();
        await SubmitAsync(core, names, "A");
        Assert.NotNull(await core.Queue.ClaimNextAsync("test/worker", CancellationToken.None));

        await SubmitAsync(core, names, "B", "A", "C");

        Assert.Equal("B,C,A", await OrderAsync(core, names));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_new_users_first_job_joins_the_round_being_served(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var names = new Dictionary<string, string>();
        await SubmitAsync(core, names, "A", "A", "A", "B", "B", "B");
        Assert.Equal("A,B,A", await ClaimAsync(core, names, 3)); // round 0 done; round 1 being served

        await SubmitAsync(core, names, "C", "C");

        // C's first job is in round 1 (behind B's second, queued earlier), ahead of everyone's third.
        Assert.Equal("B,C,A,B,C", await OrderAsync(core, names));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Fifo_policy_keeps_submission_order(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server, new Dictionary<string, string?> { ["Queue:Policy"] = "Fifo" });
        var names = new Dictionary<string, string>();
        await SubmitAsync(core, names, "A", "A", "B", "A");

        Assert.Equal("A,A,B,A", await OrderAsync(core, names));
        Assert.Equal("A,A,B,A", await ClaimAllAsync(core, names));
    }

    [Theory]
    [InlineData("Sqlite", "Fair")]
    [InlineData("Sqlite", "Fifo")]
    [InlineData("Postgres", "Fair")]
    [InlineData("Postgres", "Fifo")]
    public async Task Jobs_moved_to_the_front_run_first_latest_move_first(string provider, string policy)
    {
        await using var core = await StudioCore.StartAsync(provider, server, new Dictionary<string, string?> { ["Queue:Policy"] = policy });
        var users = await core.AddUsersAsync("a", "b");
        var first = await core.SubmitAsync(users[0], "first");
        var movedEarlier = await core.SubmitAsync(users[1], "moved earlier");
        var movedLater = await core.SubmitAsync(users[0], "moved later");

        Assert.True(await core.Queue.MoveToFrontAsync(movedEarlier.Id));
        Assert.True(await core.Queue.MoveToFrontAsync(movedLater.Id));

        await using var db = await core.CreateDbContextAsync();
        Assert.Equal([movedLater.Id, movedEarlier.Id, first.Id], (await core.Queue.OrderAsync(db, CancellationToken.None)).Select(j => j.Id));
        var claimed = new List<Guid>();
        while (await core.Queue.ClaimNextAsync("test/worker", CancellationToken.None) is { } job)
        {
            claimed.Add(job.Id);
        }

        Assert.Equal([movedLater.Id, movedEarlier.Id, first.Id], claimed);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task An_upgraded_queue_keeps_its_fair_order(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var names = new Dictionary<string, string>();
        await SubmitAsync(core, names, "A", "A", "A", "B", "B", "C");
        await using (var db = await core.CreateDbContextAsync())
        {
            // Back to the release before rounds (the column goes), and up again: the migration gives queued jobs theirs.
            var migrations = db.Database.GetMigrations().ToList();
            var rounds = migrations.FindIndex(m => m.EndsWith("_AddFairRounds", StringComparison.Ordinal));
            Assert.True(rounds > 0, "no AddFairRounds migration");
            var migrator = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>();
            await migrator.MigrateAsync(migrations[rounds - 1]);
            await migrator.MigrateAsync(migrations[^1]);
        }

        Assert.Equal("A,B,C,A,B,A", await OrderAsync(core, names));
    }

    /// <summary>Submits one job per letter, in order, creating each letter's user on first use.</summary>
    private static async Task<List<string>> SubmitAsync(StudioCore core, Dictionary<string, string> names, params string[] letters)
    {
        var owners = new List<string>();
        foreach (var letter in letters)
        {
            if (!names.TryGetValue(letter, out var id))
            {
                id = names[letter] = (await core.AddUsersAsync(letter.ToLowerInvariant()))[0];
            }

            owners.Add((await core.SubmitAsync(id, $"{letter} job")).OwnerId);
        }

        return owners;
    }

    private static string Letters(IEnumerable<string> owners, Dictionary<string, string> names) =>
        string.Join(",", owners.Select(o => names.Single(n => n.Value == o).Key));

    private static async Task<string> OrderAsync(StudioCore core, Dictionary<string, string> names)
    {
        await using var db = await core.CreateDbContextAsync();
        return Letters((await core.Queue.OrderAsync(db, CancellationToken.None)).Select(j => j.OwnerId), names);
    }

    private static async Task<string> ClaimAsync(StudioCore core, Dictionary<string, string> names, int count)
    {
        var owners = new List<string>();
        for (var i = 0; i < count; i++)
        {
            owners.Add((await core.Queue.ClaimNextAsync("test/worker", CancellationToken.None))!.OwnerId);
        }

        return Letters(owners, names);
    }

    private static async Task<string> ClaimAllAsync(StudioCore core, Dictionary<string, string> names)
    {
        var owners = new List<string>();
        while (await core.Queue.ClaimNextAsync("test/worker", CancellationToken.None) is { } job)
        {
            owners.Add(job.OwnerId);
        }

        return Letters(owners, names);
    }
}
