using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Web.Accounts;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Accounts;

/// <summary>
/// Dark mode is read from the claims the sign-in cookie carries, not from the database on every page load or circuit;
/// a choice made since the cookie was issued still shows at once.
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed class ThemePreferenceTests
{
    [Fact]
    public async Task The_theme_comes_from_the_cookie_that_sign_in_issued_not_from_a_query_per_page()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var dana = await StudioUserClient.RegisterAsync(factory, "dana");

        // Stored behind the studio's back: the cookie issued at registration knows nothing of it...
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
            var user = (await users.FindByEmailAsync("dana@example.test"))!;
            Assert.True((await users.AddClaimAsync(user, new Claim(ThemePreferences.ClaimType, "dark"))).Succeeded);
        }

        Assert.DoesNotContain("studio-dark", await dana.Http.GetStringAsync("/"));

        // ...and the next sign-in puts it into the cookie.
        var again = StudioUserClient.Anonymous(factory);
        await again.PostFormAsync("/Account/Login", "login", new() { ["Input.Email"] = "dana@example.test", ["Input.Password"] = "Passw0rd-test" });
        Assert.Contains("studio-dark", await again.Http.GetStringAsync("/"));
        Assert.Contains("studio-dark", await again.Http.GetStringAsync("/Account/Manage/ChangePassword"));
    }

    [Fact]
    public async Task A_choice_made_after_sign_in_shows_at_once_and_a_later_one_replaces_it()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var erin = await StudioUserClient.RegisterAsync(factory, "erin");
        var themes = factory.Services.GetRequiredService<ThemePreferences>();
        string userId;
        using (var scope = factory.Services.CreateScope())
        {
            userId = (await scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>().FindByEmailAsync("erin@example.test"))!.Id;
        }

        await themes.SetDarkAsync(userId, dark: true);
        Assert.Contains("studio-dark", await erin.Http.GetStringAsync("/"));

        await themes.SetDarkAsync(userId, dark: false);
        Assert.DoesNotContain("studio-dark", await erin.Http.GetStringAsync("/"));
        using var check = factory.Services.CreateScope();
        var users = check.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
        var claims = await users.GetClaimsAsync((await users.FindByIdAsync(userId))!);
        Assert.Equal("light", Assert.Single(claims, c => c.Type == ThemePreferences.ClaimType).Value); // one claim, replaced
    }
}
