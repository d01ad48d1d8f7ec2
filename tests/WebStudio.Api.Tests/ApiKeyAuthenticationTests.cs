using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Web.Api;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;

namespace WebStudio.Api.Tests;

/// <summary>Bearer keys as an authentication scheme: the key's owner is an ordinary principal, and the ordinary policies apply.</summary>
[Trait("Capability", "StudioCore")]
public sealed class ApiKeyAuthenticationTests(StudioHost server) : IClassFixture<StudioHost>
{
    [Fact]
    public async Task A_key_makes_its_owner_the_principal_a_login_cookie_would_make()
    {
        var (userId, key) = await server.CreateUserWithKeyAsync("principal");
        await MakeAdminAsync(userId);
        using var scope = server.Services.CreateScope();

        var principal = await AuthenticateAsync(scope, key);

        Assert.Equal(userId, JobAccess.UserId(principal));
        Assert.Equal("principal@example.test", principal.Identity!.Name);
        Assert.Equal(ApiKeyAuthentication.Scheme, principal.Identity.AuthenticationType);
        Assert.True(JobAccess.IsAdmin(principal));
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>().FindByIdAsync(userId);
        var cookie = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<StudioUser>>().CreateAsync(user!);
        // The cookie's claims, and the one that says the account's role may use the API (TeamAdmin).
        Assert.Equal(cookie.Claims.Select(c => $"{c.Type}={c.Value}").Append($"{ApiKeyAuthentication.ApiUseClaim}=true").Order(), principal.Claims.Select(c => $"{c.Type}={c.Value}").Order());
    }

    [Fact]
    public async Task The_ordinary_authorization_policies_apply_to_a_key_caller()
    {
        var (adminId, adminKey) = await server.CreateUserWithKeyAsync("policy-admin");
        await MakeAdminAsync(adminId);
        var (_, plainKey) = await server.CreateUserWithKeyAsync("policy-plain");
        using var scope = server.Services.CreateScope();
        var authorization = scope.ServiceProvider.GetRequiredService<IAuthorizationService>();
        var adminsOnly = new AuthorizationPolicyBuilder(ApiKeyAuthentication.Scheme).RequireRole(JobAccess.AdminRole).Build();

        // A scope is a request: its authentication handler is made once and remembers its answer.
        using var adminRequest = server.Services.CreateScope();
        using var plainRequest = server.Services.CreateScope();
        var admin = await AuthenticateAsync(adminRequest, adminKey);
        var plain = await AuthenticateAsync(plainRequest, plainKey);

        Assert.True((await authorization.AuthorizeAsync(admin, ApiKeyAuthentication.Policy)).Succeeded);
        Assert.True((await authorization.AuthorizeAsync(plain, ApiKeyAuthentication.Policy)).Succeeded);
        Assert.True((await authorization.AuthorizeAsync(admin, null, adminsOnly)).Succeeded);
        Assert.False((await authorization.AuthorizeAsync(plain, null, adminsOnly)).Succeeded);
    }

    [Fact]
    public async Task Refusals_keep_OpenAIs_error_shape()
    {
        using var anonymous = server.Client(null);
        await AssertErrorAsync(await anonymous.GetAsync("/v1/models"), HttpStatusCode.Unauthorized, "missing_api_key");
        using var basic = server.Client(null);
        basic.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        await AssertErrorAsync(await basic.GetAsync("/v1/models"), HttpStatusCode.Unauthorized, "missing_api_key");
        using var unknown = server.Client("ws-not-a-key");
        await AssertErrorAsync(await unknown.GetAsync("/v1/models"), HttpStatusCode.Unauthorized, "invalid_api_key");

        // A policy that refuses an authenticated key caller: a 403 in the same shape.
        var (_, key) = await server.CreateUserWithKeyAsync("forbidden");
        using var scope = server.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = $"Bearer {key}";
        context.Response.Body = new MemoryStream();
        await context.ForbidAsync(ApiKeyAuthentication.Scheme);
        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        using var json = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal("insufficient_permissions", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Cookies_and_keys_each_work_where_they_did_and_nowhere_else()
    {
        var login = await StudioLogin.RegisterAsync(server, "cookie-and-key");
        var key = (await server.Services.GetRequiredService<ApiKeyService>().CreateAsync(login.UserId, "tests")).Key;
        using var keyed = server.Client(key);

        Assert.Equal(HttpStatusCode.OK, (await login.Http.GetAsync("/api/history")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("/v1/models")).StatusCode);

        // /v1 consults only the key, and the studio's /api only the cookie.
        await AssertErrorAsync(await login.Http.GetAsync("/v1/models"), HttpStatusCode.Unauthorized, "missing_api_key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await keyed.GetAsync("/api/history")).StatusCode);
    }

    private async Task MakeAdminAsync(string userId)
    {
        using var scope = server.Services.CreateScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(JobAccess.AdminRole))
        {
            await roles.CreateAsync(new IdentityRole(JobAccess.AdminRole));
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
        var result = await users.AddToRoleAsync((await users.FindByIdAsync(userId))!, JobAccess.AdminRole);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    private static async Task<System.Security.Claims.ClaimsPrincipal> AuthenticateAsync(IServiceScope scope, string key)
    {
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = $"Bearer {key}";
        var result = await context.AuthenticateAsync(ApiKeyAuthentication.Scheme);
        Assert.True(result.Succeeded, result.Failure?.Message);
        return result.Principal!;
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(code, json.RootElement.GetProperty("error").GetProperty("code").GetString());
        }
    }
}
