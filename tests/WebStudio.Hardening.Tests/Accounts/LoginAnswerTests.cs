using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;

namespace WebStudio.Hardening.Tests.Accounts;

/// <summary>The login form tells nobody which accounts exist (finding 6): a missing account, a wrong password and a
/// locked account get one answer, in the same time. The throttle is set out of the way here.</summary>
[Trait("Capability", "Hardening")]
public sealed class LoginAnswerTests(LoginAnswerTests.Server server) : IClassFixture<LoginAnswerTests.Server>
{
    private const string Password = "Passw0rd-test";

    [Fact]
    public async Task A_missing_account_a_wrong_password_and_a_locked_account_get_the_same_answer()
    {
        var form = new LoginForm(LoopbackClients.From(IPAddress.Loopback, server.BaseAddress));

        var answers = new[]
        {
            await form.PostAsync("nobody@example.test", Password),
            await form.PostAsync(Server.Owner, "wrong-password-1"),
            await form.PostAsync(Server.Locked, Password),
            await form.PostAsync(Server.Locked, "wrong-password-1"),
        };

        Assert.All(answers, answer => Assert.True(answer.Refused, $"{answer}"));
    }

    [Fact]
    public async Task Answering_a_missing_or_locked_account_takes_as_long_as_a_wrong_password()
    {
        var form = new LoginForm(LoopbackClients.From(IPAddress.Loopback, server.BaseAddress));
        var attempts = new (string Email, string Password)[] { ("nobody@example.test", Password), (Server.Owner, "wrong-password-1"), (Server.Locked, Password) };
        var took = attempts.Select(_ => new List<double>()).ToArray();
        await form.PostAsync("warm-up@example.test", Password);

        // Interleaved rounds, so that the machine's load falls on each kind alike.
        for (var round = 0; round < 9; round++)
        {
            for (var kind = 0; kind < attempts.Length; kind++)
            {
                var answer = await form.PostAsync(attempts[kind].Email, attempts[kind].Password);
                Assert.True(answer.Refused, $"{answer}");
                took[kind].Add(answer.Took.TotalMilliseconds);
            }
        }

        // Without the decoy password check a missing or locked account answered in 0.08 of a wrong password's time.
        var wrongPassword = Median(took[1]);
        Assert.InRange(Median(took[0]) / wrongPassword, 0.5, 2.0);
        Assert.InRange(Median(took[2]) / wrongPassword, 0.5, 2.0);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    public sealed class Server() : StudioHost(new Dictionary<string, string?>
    {
        ["Login:AttemptsPerClient"] = "10000",
        ["Login:AttemptsPerAccount"] = "10000",
        ["Login:FailuresBeforeBackoff"] = "10000",
    })
    {
        public const string Owner = "owner@example.test";

        public const string Locked = "locked@example.test";

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await CreateUserWithKeyAsync("owner");
            await CreateUserWithKeyAsync("locked");
            using var scope = Services.CreateScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
            var locked = await users.FindByEmailAsync(Locked);
            Assert.True((await users.SetLockoutEndDateAsync(locked!, DateTimeOffset.UtcNow.AddYears(1))).Succeeded);
        }
    }
}
