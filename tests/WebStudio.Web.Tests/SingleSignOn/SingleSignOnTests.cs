using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Web.Accounts;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.SingleSignOn;

/// <summary>Sign-in through a real OpenID Connect provider (OpenIddict on loopback), by the authorization code flow with PKCE.</summary>
[Trait("Capability", "TeamAdmin")]
public sealed class SingleSignOnTests
{
    private static readonly OpenIdTestUser Alice = new("alice", "alice@corp.test", SingleSignOnStudio.AdminGroup);
    private static readonly OpenIdTestUser Bob = new("bob", "bob@corp.test", "studio-users");

    [Fact]
    public async Task A_first_sign_in_creates_the_account_and_links_it_to_the_provider()
    {
        await using var sso = await SingleSignOnStudio.StartAsync(users: Bob);
        using var browser = SingleSignOnStudio.Browser();

        using var landed = await sso.SignInAsync(browser, "bob");

        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Equal(new Uri(sso.Studio.BaseAddress, "/"), landed.RequestMessage!.RequestUri);
        Assert.True(await sso.IsSignedInAsync(browser));
        var account = await sso.AccountAsync(Bob.Email);
        Assert.NotNull(account);
        var login = Assert.Single(account.Value.Logins);
        Assert.Equal(("oidc", Bob.Subject), (login.LoginProvider, login.ProviderKey));
        Assert.Null(account.Value.User.PasswordHash);
    }

    [Fact]
    public async Task A_groups_claim_maps_to_the_admin_role_on_every_sign_in()
    {
        await using var sso = await SingleSignOnStudio.StartAsync(users: [Alice, Bob]);
        await StudioUserClient.RegisterAsync(sso.Studio, "owner"); // the first account: the administrator already

        using (var browser = SingleSignOnStudio.Browser())
        {
            await sso.SignInAsync(browser, "alice");
        }

        using (var browser = SingleSignOnStudio.Browser())
        {
            await sso.SignInAsync(browser, "bob");
        }

        Assert.Equal(["Admin"], (await sso.AccountAsync(Alice.Email))!.Value.Roles);
        Assert.Empty((await sso.AccountAsync(Bob.Email))!.Value.Roles);

        // Alice leaves the group at the provider: her next sign-in takes the role away.
        sso.Provider.Users["alice"] = Alice with { Groups = ["studio-users"] };
        using (var browser = SingleSignOnStudio.Browser())
        {
            await sso.SignInAsync(browser, "alice");
            Assert.True(await sso.IsSignedInAsync(browser));
        }

        Assert.Empty((await sso.AccountAsync(Alice.Email))!.Value.Roles);
    }

    [Fact]
    public async Task A_second_sign_in_reuses_the_account()
    {
        await using var sso = await SingleSignOnStudio.StartAsync(users: Bob);
        using (var first = SingleSignOnStudio.Browser())
        {
            await sso.SignInAsync(first, "bob");
        }

        var id = (await sso.AccountAsync(Bob.Email))!.Value.User.Id;
        using var second = SingleSignOnStudio.Browser();
        await sso.SignInAsync(second, "bob");

        Assert.True(await sso.IsSignedInAsync(second));
        Assert.Equal(id, (await sso.AccountAsync(Bob.Email))!.Value.User.Id);
        using var scope = sso.Studio.Services.CreateScope();
        Assert.Equal(1, scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>().Users.Count());
    }

    [Fact]
    public async Task A_locked_out_user_is_refused()
    {
        await using var sso = await SingleSignOnStudio.StartAsync(users: Bob);
        using (var first = SingleSignOnStudio.Browser())
        {
            await sso.SignInAsync(first, "bob");
        }

        using (var scope = sso.Studio.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
            var bob = (await users.FindByEmailAsync(Bob.Email))!;
            await users.SetLockoutEnabledAsync(bob, true);
            await users.SetLockoutEndDateAsync(bob, DateTimeOffset.MaxValue);
        }

        using var browser = SingleSignOnStudio.Browser();
        using var landed = await sso.SignInAsync(browser, "bob");

        Assert.Equal("/Account/Login", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("this account is disabled", await landed.Content.ReadAsStringAsync());
        Assert.False(await sso.IsSignedInAsync(browser));
    }

    [Fact]
    public async Task An_unknown_identity_is_refused_when_accounts_are_not_created_on_sign_in()
    {
        await using var sso = await SingleSignOnStudio.StartAsync(new Dictionary<string, string?> { ["SingleSignOn:AutoCreateAccounts"] = "false" }, Bob);
        using var browser = SingleSignOnStudio.Browser();

        using var landed = await sso.SignInAsync(browser, "bob");

        Assert.Contains("no account is linked to this identity", await landed.Content.ReadAsStringAsync());
        Assert.False(await sso.IsSignedInAsync(browser));
        Assert.Null(await sso.AccountAsync(Bob.Email));
    }

    [Fact]
    public async Task With_local_accounts_off_the_password_form_is_gone_and_passwords_are_refused()
    {
        await using var sso = await SingleSignOnStudio.StartAsync(new Dictionary<string, string?> { ["SingleSignOn:LocalAccounts"] = "false" }, Bob);
        var (userId, _) = await sso.Studio.CreateUserWithKeyAsync("carol"); // a password account from before
        Assert.NotNull(userId);
        var anonymous = StudioUserClient.Anonymous(sso.Studio);

        var login = await anonymous.Http.GetStringAsync("/Account/Login");
        Assert.Contains($"Sign in with {SingleSignOnStudio.DisplayName}", login);
        Assert.DoesNotContain("login-submit", login);
        Assert.DoesNotContain("Account/Register", login);
        var register = await anonymous.Http.GetStringAsync("/Account/Register");
        Assert.Contains("Registration is closed", register);
        Assert.DoesNotContain("register-submit", register);

        // A hand-made post of the old form signs nobody in, and the server's password check refuses outright.
        using var posted = await anonymous.Http.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = "carol@example.test",
            ["Input.Password"] = "Passw0rd-test",
        }));
        Assert.NotEqual(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Http.GetAsync($"/api/jobs/{Guid.NewGuid()}")).StatusCode);
        using var scope = sso.Studio.Services.CreateScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<PasswordLogin>().SignInAsync(IPAddress.Loopback, "carol@example.test", "Passw0rd-test", remember: false);
        Assert.Equal(LoginResult.Refused, outcome.Result);

        using var browser = SingleSignOnStudio.Browser();
        await sso.SignInAsync(browser, "bob");
        Assert.True(await sso.IsSignedInAsync(browser));
    }
}
