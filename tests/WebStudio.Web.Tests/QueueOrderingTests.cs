using WebStudio.Web.Options;
using WebStudio.Studio.Options;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Tests;

public sealed class QueueOrderingTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private static QueuedJobInfo Job(string user, int second, long priority = 0) =>
        new(Guid.NewGuid(), user, T0.AddSeconds(second), priority, 20, 1);

    private static string Owners(IEnumerable<QueuedJobInfo> order) => string.Join(",", order.Select(j => j.OwnerId));

    [Fact]
    public void Fair_policy_serves_each_users_nth_job_before_anyones_next()
    {
        // A queued five jobs first; B and C came later with fewer.
        var jobs = new[] { Job("A", 0), Job("A", 1), Job("A", 2), Job("A", 3), Job("A", 4), Job("B", 5), Job("C", 6), Job("C", 7) };

        var order = QueueOrdering.Order(jobs, new Dictionary<string, DateTime>(), QueuePolicy.Fair);

        Assert.Equal("A,B,C,A,C,A,A,A", Owners(order));
        Assert.Equal(jobs.Where(j => j.OwnerId == "A").Select(j => j.Id), order.Where(j => j.OwnerId == "A").Select(j => j.Id));
    }

    [Fact]
    public void Fair_policy_puts_the_user_served_most_recently_last()
    {
        var jobs = new[] { Job("A", 0), Job("B", 1), Job("C", 2) };
        var served = new Dictionary<string, DateTime> { ["A"] = T0.AddMinutes(5), ["B"] = T0.AddMinutes(1) };

        var order = QueueOrdering.Order(jobs, served, QueuePolicy.Fair);

        Assert.Equal("C,B,A", Owners(order));
    }

    [Fact]
    public void Fifo_policy_keeps_submission_order()
    {
        var jobs = new[] { Job("A", 2), Job("A", 0), Job("B", 1), Job("A", 3) };

        var order = QueueOrdering.Order(jobs, new Dictionary<string, DateTime> { ["B"] = T0.AddDays(1) }, QueuePolicy.Fifo);

        Assert.Equal(jobs.OrderBy(j => j.CreatedAt).Select(j => j.Id), order.Select(j => j.Id));
    }

    [Theory]
    [InlineData(QueuePolicy.Fair)]
    [InlineData(QueuePolicy.Fifo)]
    public void Jobs_moved_to_the_front_run_first_latest_move_first(QueuePolicy policy)
    {
        var first = Job("A", 0);
        var movedEarlier = Job("B", 5, priority: 1);
        var movedLater = Job("A", 9, priority: 2);

        var order = QueueOrdering.Order([first, movedEarlier, movedLater], new Dictionary<string, DateTime>(), policy);

        Assert.Equal([movedLater.Id, movedEarlier.Id, first.Id], order.Select(j => j.Id));
    }
}
