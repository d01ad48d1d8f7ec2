namespace WebStudio.Hardening.Tests.Accounts;

/// <summary>The limit per client address (finding 6): one address spraying passwords over many accounts is stopped,
/// another address is not. The window is long, so that a loaded machine cannot outlast it.</summary>
[Trait("Capability", "Hardening")]
public sealed class LoginAddressLimitTests(LoginAddressLimitTests.Server server) : IClassFixture<LoginAddressLimitTests.Server>
{
    private const int AttemptsPerClient = 10;

    [Fact]
    public async Task One_address_trying_many_accounts_is_throttled_while_another_address_is_not()
    {
        var sprayer = new LoginForm(LoopbackClients.From(LoopbackClients.Address(40), server.BaseAddress));
        var answers = new List<LoginAnswer>();
        for (var i = 0; i < AttemptsPerClient; i++)
        {
            answers.Add(await sprayer.PostAsync($"spray-{i}@example.test", "Passw0rd-test"));
        }

        // A fresh account for this address: only the limit per address can refuse it now.
        var overLimit = await sprayer.PostAsync("fresh@example.test", "Passw0rd-test");
        var elsewhere = await new LoginForm(LoopbackClients.From(LoopbackClients.Address(41), server.BaseAddress)).PostAsync("fresh@example.test", "Passw0rd-test");

        Assert.All(answers, answer => Assert.True(answer.Refused, $"{answer}"));
        Assert.True(overLimit.Throttled, $"{overLimit}");
        Assert.True(elsewhere.Refused, $"{elsewhere}");
    }

    public sealed class Server() : StudioHost(new Dictionary<string, string?>
    {
        ["Login:AttemptsPerClient"] = $"{AttemptsPerClient}",
        ["Login:ClientWindow"] = "00:10:00",
    });
}
