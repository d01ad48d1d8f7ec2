using Microsoft.AspNetCore.Identity;
using WebStudio.Data;
using WebStudio.Web.Accounts;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Api;

/// <summary>
/// <c>dotnet run --project src/WebStudio.Web -- create-api-key --user alice [--name "my script"]</c>: creates the
/// user when missing (e-mail alice@localhost unless the name is an address; no password, so it is an API-only
/// account), prints a new API key on stdout and exits.
/// It runs against the same database as the server, after the migrations.
/// </summary>
public static class ApiKeyCommand
{
    public const string Verb = "create-api-key";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Verb;

    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var user = Option(args, "--user");
        var name = Option(args, "--name") ?? "command line";
        if (string.IsNullOrWhiteSpace(user))
        {
            await Console.Error.WriteLineAsync($"usage: {Verb} --user NAME [--name KEY-NAME]");
            return 2;
        }

        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
        var email = user.Contains('@', StringComparison.Ordinal) ? user : $"{user}@localhost";
        var account = await users.FindByNameAsync(user) ?? await users.FindByEmailAsync(email);
        if (account is null)
        {
            account = new StudioUser { UserName = user, Email = email };
            var created = await users.CreateAsync(account);
            if (!created.Succeeded)
            {
                await Console.Error.WriteLineAsync($"could not create user '{user}': {string.Join("; ", created.Errors.Select(e => e.Description))}");
                return 1;
            }

            await scope.ServiceProvider.GetRequiredService<AccountBootstrap>().PromoteIfFirstAsync(account);
            await Console.Error.WriteLineAsync($"created user '{user}' ({email})");
        }

        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(account.Id, name);
        Console.WriteLine(key.Key);
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
