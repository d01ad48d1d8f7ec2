using Microsoft.Extensions.Time.Testing;
using WebStudio.Studio.Queue;

namespace WebStudio.Hardening.Tests.Abuse;

/// <summary>The per-user submission limit on a fake clock: never more than N in any 60 seconds, however the
/// submissions are spread (a token bucket refilled once a minute let up to 2N through across a refill). The log is
/// the user's jobs in the database (<see cref="RateLimitLog"/>), as in the studio, where it holds across web nodes.</summary>
[Trait("Capability", "Hardening")]
public sealed class SubmissionRateLimiterTests : IDisposable
{
    private const int Limit = 30;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    private readonly List<RateLimitLog> _logs = [];

    private RateLimitLog NewLimiter()
    {
        var log = new RateLimitLog(_clock, Limit);
        _logs.Add(log);
        return log;
    }

    public void Dispose() => _logs.ForEach(l => l.Dispose());

    [Fact]
    public void A_burst_across_a_minute_boundary_gets_no_more_than_the_limit_in_any_60_seconds()
    {
        var limiter = NewLimiter();
        var accepted = new List<DateTimeOffset>();

        // 59 s of nothing, then a second of hammering, then another: the old bucket refilled in between and let 60 through.
        _clock.Advance(TimeSpan.FromSeconds(59));
        for (var second = 0; second < 3; second++)
        {
            for (var i = 0; i < 100; i++)
            {
                if (limiter.TryAcquire("alice") is null)
                {
                    accepted.Add(_clock.GetUtcNow());
                }

                _clock.Advance(TimeSpan.FromMilliseconds(10));
            }
        }

        Assert.Equal(Limit, accepted.Count);
        Assert.All(accepted, start => Assert.True(accepted.Count(t => t >= start && t < start + SubmissionRateLimiter.Window) <= Limit));
    }

    [Fact]
    public void Submissions_spread_over_ten_minutes_never_exceed_the_limit_in_any_window_and_use_all_of_it()
    {
        var limiter = NewLimiter();
        var accepted = new List<DateTimeOffset>();
        var random = new Random(16);
        var end = _clock.GetUtcNow() + TimeSpan.FromMinutes(10);
        while (_clock.GetUtcNow() < end)
        {
            if (limiter.TryAcquire("bob") is null)
            {
                accepted.Add(_clock.GetUtcNow());
            }

            _clock.Advance(TimeSpan.FromMilliseconds(random.Next(1, 4000)));
        }

        var worst = accepted.Max(start => accepted.Count(t => t >= start && t < start + SubmissionRateLimiter.Window));
        Assert.Equal(Limit, worst);
    }

    [Fact]
    public void A_refusal_says_how_long_until_the_oldest_submission_in_the_window_leaves_it()
    {
        var limiter = NewLimiter();
        Assert.Null(limiter.TryAcquire("carol"));
        _clock.Advance(TimeSpan.FromSeconds(20));
        for (var i = 1; i < Limit; i++)
        {
            Assert.Null(limiter.TryAcquire("carol"));
        }

        _clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(TimeSpan.FromSeconds(25), limiter.TryAcquire("carol"));

        // Just before then it is still refused; at that moment one place is free, and only one.
        _clock.Advance(TimeSpan.FromSeconds(25) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(1), limiter.TryAcquire("carol"));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(limiter.TryAcquire("carol"));
        Assert.Equal(TimeSpan.FromSeconds(20), limiter.TryAcquire("carol"));
    }

    [Fact]
    public void One_user_at_the_limit_leaves_other_users_their_whole_allowance()
    {
        var limiter = NewLimiter();
        for (var i = 0; i < Limit; i++)
        {
            Assert.Null(limiter.TryAcquire("dave"));
        }

        Assert.NotNull(limiter.TryAcquire("dave"));
        Assert.Equal(Limit, Enumerable.Range(0, Limit + 5).Count(_ => limiter.TryAcquire("erin") is null));
    }
}
