using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Api.Tests.Infrastructure;
using WebStudio.Web.Api;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;

namespace WebStudio.Api.Tests;

/// <summary>The studio's API keys page, as a signed-in browser gets it (server prerendering).</summary>
public sealed class ApiKeysPageTests(StudioHost server) : IClassFixture<StudioHost>
{
    [Fact]
    public async Task The_page_needs_a_login()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

        using var response = await client.GetAsync("/api-keys");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_page_lists_my_keys_by_name_and_prefix_and_never_shows_a_whole_key()
    {
        var login = await StudioLogin.RegisterAsync(server, "page");
        Assert.Contains("You have no API keys yet.", await login.Http.GetStringAsync("/api-keys"));

        var keys = server.Services.GetRequiredService<ApiKeyService>();
        var created = await keys.CreateAsync(login.UserId, "render farm");
        await keys.RevokeAsync(login.UserId, (await keys.CreateAsync(login.UserId, "old laptop")).Row.Id);

        var page = WebUtility.HtmlDecode(await login.Http.GetStringAsync("/api-keys"));
        Assert.Contains("render farm", page);
        Assert.Contains(created.Row.Prefix + "…", page);
        Assert.Contains("old laptop", page);
        Assert.Contains("revoked", page);
        Assert.DoesNotContain(created.Key, page);
    }
}
