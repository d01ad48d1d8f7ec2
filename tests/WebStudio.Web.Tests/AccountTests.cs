using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests;

public sealed class AccountTests
{
    [Fact]
    public async Task First_account_is_the_administrator_and_the_second_is_not()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);

        await StudioUserClient.RegisterAsync(factory, "first");
        await StudioUserClient.RegisterAsync(factory, "second");

        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
        Assert.True(await users.IsInRoleAsync((await users.FindByEmailAsync("first@example.test"))!, "Admin"));
        Assert.False(await users.IsInRoleAsync((await users.FindByEmailAsync("second@example.test"))!, "Admin"));
    }

    [Fact]
    public async Task Closed_registration_still_lets_the_first_account_in_and_no_one_after()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Studio:AllowRegistration"] = "false" });

        await StudioUserClient.RegisterAsync(factory, "admin");
        var late = StudioUserClient.Anonymous(factory);
        var page = await late.Http.GetStringAsync("/Account/Register");

        Assert.Contains("Registration is closed", page);
        Assert.DoesNotContain("register-submit", page);
    }

    [Fact]
    public async Task Pages_and_api_need_a_login_and_the_login_page_does_not()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var anonymous = StudioUserClient.Anonymous(factory);

        var home = await anonymous.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/Account/Login", home.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Http.GetAsync("/Account/Login")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Http.GetAsync($"/api/jobs/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Http.GetAsync("/assets/lib/signalr/signalr.min.js")).StatusCode);
    }

    [Fact]
    public async Task A_user_can_log_out_log_in_again_and_change_the_password()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var user = await StudioUserClient.RegisterAsync(factory, "carol");

        var changed = await user.PostFormAsync("/Account/Manage/ChangePassword", "change-password", new()
        {
            ["Input.OldPassword"] = "Passw0rd-test",
            ["Input.NewPassword"] = "N3w-password",
            ["Input.ConfirmPassword"] = "N3w-password",
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        var fresh = StudioUserClient.Anonymous(factory);
        var wrong = await fresh.PostFormAsync("/Account/Login", "login", new() { ["Input.Email"] = "carol@example.test", ["Input.Password"] = "Passw0rd-test" });
        Assert.Contains("wrong email or password", await wrong.Content.ReadAsStringAsync());
        var right = await fresh.PostFormAsync("/Account/Login", "login", new() { ["Input.Email"] = "carol@example.test", ["Input.Password"] = "N3w-password" });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fresh.Http.GetAsync($"/api/jobs/{Guid.NewGuid()}/preview")).StatusCode);

        var token = await fresh.AntiforgeryTokenAsync("/");
        var loggedOut = await fresh.Http.PostAsync("/Account/Logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fresh.Http.GetAsync($"/api/jobs/{Guid.NewGuid()}/preview")).StatusCode);
    }
}
