using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.SingleSignOn;

/// <summary>A studio signing in through a real OpenID Connect provider (<see cref="OpenIdProvider"/>), both on loopback.</summary>
public sealed class SingleSignOnStudio : IAsyncDisposable
{
    public const string DisplayName = "Test IdP";
    public const string AdminGroup = "studio-admins";

    private readonly TempFolder _folder;

    private SingleSignOnStudio(TempFolder folder, OpenIdProvider provider, StudioHost studio)
    {
        _folder = folder;
        Provider = provider;
        Studio = studio;
    }

    public OpenIdProvider Provider { get; }

    public StudioHost Studio { get; }

    /// <summary>A started provider knowing <paramref name="users"/>, and a started studio using it; <paramref name="settings"/> go over the SingleSignOn defaults here.</summary>
    public static async Task<SingleSignOnStudio> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, params OpenIdTestUser[] users)
    {
        var folder = new TempFolder();
        var provider = await OpenIdProvider.StartAsync(users);
        var all = new Dictionary<string, string?>
        {
            ["SingleSignOn:Authority"] = provider.Authority.ToString(),
            ["SingleSignOn:ClientId"] = OpenIdProvider.ClientId,
            ["SingleSignOn:ClientSecret"] = OpenIdProvider.ClientSecret,
            ["SingleSignOn:Scopes:0"] = "groups",
            ["SingleSignOn:DisplayName"] = DisplayName,
            ["SingleSignOn:RoleClaim"] = "groups",
            [$"SingleSignOn:RoleMap:{AdminGroup}"] = "Admin",
            ["SingleSignOn:RequireHttpsMetadata"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var studio = ScriptedStudio.Create(folder, settings: all);
        await provider.RegisterClientAsync(new Uri(studio.BaseAddress, "/signin-oidc"));
        return new SingleSignOnStudio(folder, provider, studio);
    }

    /// <summary>A fresh browser: one cookie jar for both sites, following redirects as a browser does.</summary>
    public static HttpClient Browser() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true }) { Timeout = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// Clicks "Sign in with …" on the studio's login page, fills the provider's login form as <paramref name="name"/>,
    /// and follows the redirects back; the answer is the page the browser ends on.
    /// </summary>
    public async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string name)
    {
        var login = await browser.GetStringAsync(new Uri(Studio.BaseAddress, "/Account/Login"));
        Assert.Contains($"Sign in with {DisplayName}", login);

        using var form = await browser.GetAsync(new Uri(Studio.BaseAddress, "/Account/ExternalLogin?returnUrl=%2F"));
        var formUri = form.RequestMessage!.RequestUri!;
        Assert.True(formUri.Authority == Provider.Authority.Authority && formUri.AbsolutePath == OpenIdProvider.LoginPath, $"ended on {formUri}");
        var returnUrl = Uri.UnescapeDataString(formUri.Query.TrimStart('?').Split('&').Single(p => p.StartsWith("returnUrl=", StringComparison.Ordinal))["returnUrl=".Length..]);

        return await browser.PostAsync(new Uri(Provider.Authority, OpenIdProvider.LoginPath), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = name,
            ["password"] = OpenIdTestUser.Password,
            ["returnUrl"] = returnUrl,
        }));
    }

    /// <summary>Whether the browser holds the studio's cookie: a signed-in user gets 404 for an unknown job, others 401.</summary>
    public async Task<bool> IsSignedInAsync(HttpClient browser)
    {
        using var response = await browser.GetAsync(new Uri(Studio.BaseAddress, $"/api/jobs/{Guid.NewGuid()}"));
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, $"the job API answered {(int)response.StatusCode}");
        return response.StatusCode == HttpStatusCode.NotFound;
    }

    /// <summary>The studio's account with <paramref name="email"/>, with its roles and external logins.</summary>
    public async Task<(StudioUser User, IList<string> Roles, IList<UserLoginInfo> Logins)?> AccountAsync(string email)
    {
        using var scope = Studio.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
        return await users.FindByEmailAsync(email) is { } user
            ? (user, await users.GetRolesAsync(user), await users.GetLoginsAsync(user))
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        await Studio.DisposeAsync();
        await Provider.DisposeAsync();
        _folder.Dispose();
    }
}
