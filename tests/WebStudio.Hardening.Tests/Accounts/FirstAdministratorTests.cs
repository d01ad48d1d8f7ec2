using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;

namespace WebStudio.Hardening.Tests.Accounts;

/// <summary>"The first account is the administrator" holds when registrations race on a fresh studio (finding 3).</summary>
[Trait("Capability", "Hardening")]
public sealed class FirstAdministratorTests
{
    private const string Password = "Passw0rd-test";

    [Fact]
    public async Task Twenty_parallel_registrations_on_a_fresh_studio_make_exactly_one_administrator()
    {
        var server = new StudioHost();
        await server.InitializeAsync();
        try
        {
            var clients = Enumerable.Range(0, 20).Select(_ => LoopbackClients.From(IPAddress.Loopback, server.BaseAddress)).ToList();

            await Task.WhenAll(clients.Select((client, i) => StudioAccountForms.RegisterAsync(client, $"racer{i}@example.test", Password)));

            var (accounts, administrators) = await CountAsync(server);
            Assert.Equal(20, accounts);
            Assert.Single(administrators);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Registrations_racing_on_two_processes_that_share_the_database_make_exactly_one_administrator()
    {
        var first = new StudioHost();
        await first.InitializeAsync();
        var second = new SharedDatabaseServer(first);
        await second.InitializeAsync();
        try
        {
            var clients = Enumerable.Range(0, 20).Select(i => LoopbackClients.From(IPAddress.Loopback, (i % 2 == 0 ? first : second).BaseAddress)).ToList();

            await Task.WhenAll(clients.Select((client, i) => StudioAccountForms.RegisterAsync(client, $"racer{i}@example.test", Password)));

            var (accounts, administrators) = await CountAsync(first);
            Assert.Equal(20, accounts);
            Assert.Single(administrators);
        }
        finally
        {
            await second.DisposeAsync();
            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_registration_closed_racing_first_registrations_leave_exactly_one_account_the_administrator()
    {
        var server = new ClosedRegistrationServer();
        await server.InitializeAsync();
        try
        {
            var clients = Enumerable.Range(0, 10).Select(_ => LoopbackClients.From(IPAddress.Loopback, server.BaseAddress)).ToList();
            // Every racer has the open form in hand before any of them posts it.
            var tokens = await Task.WhenAll(clients.Select(client => StudioAccountForms.AntiforgeryTokenAsync(client, StudioAccountForms.RegisterPath)));

            var answers = await Task.WhenAll(clients.Select((client, i) => client.PostAsync(StudioAccountForms.RegisterPath, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = tokens[i],
                ["_handler"] = "register",
                ["Input.Email"] = $"racer{i}@example.test",
                ["Input.Password"] = Password,
                ["Input.ConfirmPassword"] = Password,
            }))));

            // The others are refused: as closed, or (when the winner was in before their post) as a form no longer offered.
            Assert.Single(answers, answer => answer.StatusCode == HttpStatusCode.Redirect);
            Assert.All(answers, answer => Assert.True((int)answer.StatusCode < 500, $"{answer.StatusCode}"));

            var (accounts, administrators) = await CountAsync(server);
            Assert.Equal(1, accounts);
            Assert.Single(administrators);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task<(int Accounts, IList<StudioUser> Administrators)> CountAsync(StudioHost server)
    {
        using var scope = server.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
        return (users.Users.Count(), await users.GetUsersInRoleAsync("Admin"));
    }

    private sealed class SharedDatabaseServer(StudioHost sharedWith) : StudioHost(sharedWith.Options);

    private sealed class ClosedRegistrationServer() : StudioHost(new Dictionary<string, string?> { ["Studio:AllowRegistration"] = "false" });
}
