using System.Diagnostics;

namespace WebStudio.Hardening.Tests.Accounts;

/// <summary>
/// Login throttling (finding 6 and the abuse suite's "login brute force from one address"), with short settings: 5
/// free failures per (address, account), then waits of 3 s doubling up to 12 s; 20 attempts per address per 10 s.
/// Each test plays its callers from loopback addresses of its own, so the tests do not share a client's budget.
/// </summary>
[Trait("Capability", "Hardening")]
public sealed class LoginBruteForceTests(LoginBruteForceTests.Server server) : IClassFixture<LoginBruteForceTests.Server>
{
    private const string Password = "Passw0rd-test";
    private const int FreeFailures = 5;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_hundred_wrong_passwords_from_one_address_are_throttled_and_the_owner_still_gets_in()
    {
        await server.CreateUserWithKeyAsync("victim");
        const string victim = "victim@example.test";
        var attacker = new LoginForm(LoopbackClients.From(LoopbackClients.Address(10), server.BaseAddress));

        var clock = Stopwatch.StartNew();
        var answers = new List<LoginAnswer>();
        for (var i = 0; i < 100; i++)
        {
            answers.Add(await attacker.PostAsync(victim, $"guess-{i}"));
        }

        clock.Stop();

        // Every answer is the uniform refusal or the throttle's; the first free failures are plain refusals.
        Assert.All(answers, answer => Assert.True(answer.Refused || answer.Throttled, $"{answer}"));
        Assert.All(answers.Take(FreeFailures), answer => Assert.True(answer.Refused, $"{answer}"));
        // After them the password was checked at most once per backoff (each check restarts a wait of 3 s or more).
        var checkedPasswords = answers.Count(answer => answer.Refused);
        Assert.InRange(checkedPasswords, FreeFailures, FreeFailures + 1 + (int)(clock.Elapsed / FirstBackoff));

        // The owner elsewhere gets in at once.
        var owner = new LoginForm(LoopbackClients.From(LoopbackClients.Address(11), server.BaseAddress));
        Assert.True((await owner.PostAsync(victim, Password)).SignedIn);

        // And at the attacker's address once the wait it was given is over (a refused attempt does not lengthen it).
        var sameAddress = new LoginForm(LoopbackClients.From(LoopbackClients.Address(10), server.BaseAddress));
        var waited = TimeSpan.Zero;
        var answer = await sameAddress.PostAsync(victim, Password);
        for (var round = 0; round < 3 && answer.Throttled; round++)
        {
            var wait = TimeSpan.FromSeconds(answer.RetryAfterSeconds!.Value);
            waited += wait;
            await Task.Delay(wait);
            answer = await sameAddress.PostAsync(victim, Password);
        }

        Assert.True(answer.SignedIn, $"{answer}");
        Assert.True(waited <= TimeSpan.FromSeconds(25), $"waited {waited}");
    }

    [Fact]
    public async Task The_wait_after_the_free_failures_doubles_with_each_further_failure()
    {
        await server.CreateUserWithKeyAsync("doubling");
        var guesser = new LoginForm(LoopbackClients.From(LoopbackClients.Address(20), server.BaseAddress));
        var clock = Stopwatch.StartNew();
        var failures = 0;
        var lastFailureSent = TimeSpan.Zero;
        var waits = new List<(TimeSpan Backoff, int RetryAfter, TimeSpan SinceFailureSent)>();

        // Guess again right after each failure: the answer's Retry-After is the backoff less the time since that
        // failure's password check began (at most the time since it was sent, however loaded the machine).
        for (var attempt = 0; attempt < 30 && waits.Count < 3; attempt++)
        {
            var sent = clock.Elapsed;
            var answer = await guesser.PostAsync("doubling@example.test", $"guess-{attempt}");
            if (answer.Refused)
            {
                failures++;
                lastFailureSent = sent;
                continue;
            }

            Assert.True(answer.Throttled, $"{answer}");
            Assert.True(failures >= FreeFailures, $"throttled after {failures} failures");
            var backoff = FirstBackoff * Math.Pow(2, failures - FreeFailures);
            if (waits.Count == 0 || waits[^1].Backoff != backoff)
            {
                waits.Add((backoff, answer.RetryAfterSeconds!.Value, clock.Elapsed - lastFailureSent));
            }

            if (waits.Count < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(answer.RetryAfterSeconds!.Value));
            }
        }

        Assert.Equal(new[] { FirstBackoff, FirstBackoff * 2, FirstBackoff * 4 }, waits.Select(wait => wait.Backoff));
        Assert.All(waits, wait => Assert.InRange(wait.RetryAfter, Math.Max(1, (int)Math.Floor((wait.Backoff - wait.SinceFailureSent).TotalSeconds)), (int)wait.Backoff.TotalSeconds));
    }

    [Fact]
    public async Task A_missing_account_is_throttled_exactly_like_a_real_one()
    {
        await server.CreateUserWithKeyAsync("real");
        var guesser = new LoginForm(LoopbackClients.From(LoopbackClients.Address(30), server.BaseAddress));

        var real = new List<LoginAnswer>();
        var missing = new List<LoginAnswer>();
        for (var i = 0; i <= FreeFailures; i++)
        {
            real.Add(await guesser.PostAsync("real@example.test", $"guess-{i}"));
        }

        for (var i = 0; i <= FreeFailures; i++)
        {
            missing.Add(await guesser.PostAsync("missing@example.test", $"guess-{i}"));
        }

        Assert.All(real.Concat(missing).Take(FreeFailures), answer => Assert.True(answer.Refused, $"{answer}"));
        Assert.Equal(real.Select(Kind), missing.Select(Kind));
        Assert.True(real[^1].Throttled && missing[^1].Throttled, $"{real[^1]} / {missing[^1]}");
    }

    private static string Kind(LoginAnswer answer) => answer.Refused ? "refused" : answer.Throttled ? "throttled" : $"{answer}";

    public sealed class Server() : StudioHost(new Dictionary<string, string?>
    {
        ["Login:AttemptsPerClient"] = "20",
        ["Login:ClientWindow"] = "00:00:10",
        ["Login:FailuresBeforeBackoff"] = $"{FreeFailures}",
        ["Login:FirstBackoff"] = "00:00:03",
        ["Login:LongestBackoff"] = "00:00:12",
    });
}
