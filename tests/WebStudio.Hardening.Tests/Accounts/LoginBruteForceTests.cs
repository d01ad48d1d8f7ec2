using System.Diagnostics;
using System.Net;

namespace WebStudio.Hardening.Tests.Accounts;

/// <summary>
/// Login throttling (finding 6 and the abuse suite's "login brute force from one address"), with short settings: 5
/// free failures per (address, account), then waits of 2 s doubling up to 8 s; 20 attempts per address per 10 s.
/// Each test plays its callers from loopback addresses of its own, so the tests do not share a client's budget.
/// </summary>
[Trait("Capability", "Hardening")]
public sealed class LoginBruteForceTests(LoginBruteForceTests.Server server) : IClassFixture<LoginBruteForceTests.Server>
{
    private const string Password = "Passw0rd-test";
    private const int FreeFailures = 5;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_hundred_wrong_passwords_from_one_address_are_throttled_and_the_owner_still_gets_in()
    {
        await server.CreateUserWithKeyAsync("victim");
        const string victim = "victim@example.test";
        var attacker = new LoginForm(LoopbackClients.From(Address(10), server.BaseAddress));

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
        // After them the password was checked at most once per backoff (each check restarts a wait of 2 s or more).
        var checkedPasswords = answers.Count(answer => answer.Refused);
        Assert.InRange(checkedPasswords, FreeFailures, FreeFailures + 1 + (int)(clock.Elapsed / FirstBackoff));
        Assert.True(answers.Count(answer => answer.Throttled) >= 100 - checkedPasswords);

        // The owner elsewhere gets in at once.
        var owner = new LoginForm(LoopbackClients.From(Address(11), server.BaseAddress));
        Assert.True((await owner.PostAsync(victim, Password)).SignedIn);

        // And at the attacker's address once the wait it was given is over (a refused attempt does not lengthen it).
        var sameAddress = new LoginForm(LoopbackClients.From(Address(10), server.BaseAddress));
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
        Assert.True(waited <= TimeSpan.FromSeconds(20), $"waited {waited}");
    }

    [Fact]
    public async Task The_wait_after_the_free_failures_doubles_with_each_further_failure()
    {
        await server.CreateUserWithKeyAsync("doubling");
        const string account = "doubling@example.test";
        var guesser = new LoginForm(LoopbackClients.From(Address(20), server.BaseAddress));
        for (var i = 0; i < FreeFailures; i++)
        {
            Assert.True((await guesser.PostAsync(account, $"guess-{i}")).Refused);
        }

        // Right after a failure the wait left is the whole backoff less a moment: 2 s, then 4 s, then 8 s.
        var waits = new List<int>();
        for (var backoff = 0; backoff < 3; backoff++)
        {
            var throttled = await guesser.PostAsync(account, "too-soon");
            Assert.True(throttled.Throttled, $"{throttled}");
            waits.Add(throttled.RetryAfterSeconds!.Value);
            if (backoff < 2)
            {
                await Task.Delay(TimeSpan.FromSeconds(throttled.RetryAfterSeconds.Value));
                Assert.True((await guesser.PostAsync(account, $"late-guess-{backoff}")).Refused);
            }
        }

        Assert.InRange(waits[0], 1, 2);
        Assert.InRange(waits[1], 3, 4);
        Assert.InRange(waits[2], 5, 8);
    }

    [Fact]
    public async Task A_missing_account_is_throttled_exactly_like_a_real_one()
    {
        await server.CreateUserWithKeyAsync("real");
        var guesser = new LoginForm(LoopbackClients.From(Address(30), server.BaseAddress));

        var real = new List<LoginAnswer>();
        var missing = new List<LoginAnswer>();
        for (var i = 0; i <= FreeFailures; i++)
        {
            real.Add(await guesser.PostAsync("real@example.test", $"guess-{i}"));
            missing.Add(await guesser.PostAsync("missing@example.test", $"guess-{i}"));
        }

        Assert.All(real.Concat(missing).Take(FreeFailures), answer => Assert.True(answer.Refused, $"{answer}"));
        Assert.Equal(real.Select(Kind), missing.Select(Kind));
        Assert.True(real[^1].Throttled && missing[^1].Throttled, $"{real[^1]} / {missing[^1]}");
    }

    [Fact]
    public async Task One_address_trying_many_accounts_is_throttled_while_another_address_is_not()
    {
        var sprayer = new LoginForm(LoopbackClients.From(Address(40), server.BaseAddress));
        var answers = new List<LoginAnswer>();
        for (var i = 0; i < Server.AttemptsPerClient; i++)
        {
            answers.Add(await sprayer.PostAsync($"spray-{i % 4}@example.test", Password));
        }

        // Each of these accounts is fresh for this address, so only the limit per address can refuse now.
        var overLimit = await sprayer.PostAsync("fresh@example.test", Password);
        var elsewhere = await new LoginForm(LoopbackClients.From(Address(41), server.BaseAddress)).PostAsync("fresh@example.test", Password);

        Assert.All(answers, answer => Assert.True(answer.Refused, $"{answer}"));
        Assert.True(overLimit.Throttled, $"{overLimit}");
        Assert.True(elsewhere.Refused, $"{elsewhere}");
    }

    private static string Kind(LoginAnswer answer) => answer.Refused ? "refused" : answer.Throttled ? "throttled" : $"{answer}";

    private static IPAddress Address(int last) => new(new byte[] { 127, 0, 0, (byte)last });

    public sealed class Server() : ApiServer(new Dictionary<string, string?>
    {
        ["Login:AttemptsPerClient"] = $"{AttemptsPerClient}",
        ["Login:ClientWindow"] = "00:00:10",
        ["Login:FailuresBeforeBackoff"] = $"{FreeFailures}",
        ["Login:FirstBackoff"] = "00:00:02",
        ["Login:LongestBackoff"] = "00:00:08",
    })
    {
        public const int AttemptsPerClient = 20;
    }
}
