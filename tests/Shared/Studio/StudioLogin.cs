using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;

namespace WebStudio.Tests.Shared;

/// <summary>A browser-like studio user: registered through the real form, holding the Identity cookie.</summary>
public sealed class StudioLogin
{
    private StudioLogin(HttpClient http, CookieContainer cookies, string userId)
    {
        Http = http;
        Cookies = cookies;
        UserId = userId;
    }

    public HttpClient Http { get; }

    public CookieContainer Cookies { get; }

    public string UserId { get; }

    public static async Task<StudioLogin> RegisterAsync(StudioHost server, string name)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        var email = $"{name}@example.test";
        await StudioAccountForms.RegisterAsync(http, email, "Passw0rd-test");

        using var scope = server.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>().FindByEmailAsync(email);
        return new StudioLogin(http, cookies, user!.Id);
    }
}
