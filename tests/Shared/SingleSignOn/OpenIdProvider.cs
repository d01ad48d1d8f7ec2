using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WebStudio.Tests.Shared;

/// <summary>
/// A real OpenID Connect provider in the test process: OpenIddict's authorization server (code flow with PKCE) on a
/// free loopback port, its clients in a SQLite file, and a plain login form of its own for <see cref="Users"/>. It is
/// addressed as "localhost" so that its cookies and the studio's (on 127.0.0.1) stay apart in one cookie jar.
/// </summary>
public sealed class OpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "webstudio";
    public const string ClientSecret = "studio-client-secret";
    public const string LoginPath = "/login";

    private const string SessionScheme = "provider-session";

    private readonly WebApplication _app;
    private readonly string _databasePath;

    private OpenIdProvider(WebApplication app, string databasePath)
    {
        _app = app;
        _databasePath = databasePath;
    }

    /// <summary>"http://localhost:PORT/", the issuer.</summary>
    public Uri Authority { get; private set; } = null!;

    /// <summary>The people who can sign in, by name; a test may change one between sign-ins (e.g. its groups).</summary>
    public ConcurrentDictionary<string, OpenIdTestUser> Users { get; } = new();

    public static async Task<OpenIdProvider> StartAsync(params OpenIdTestUser[] users)
    {
        var databasePath = Path.Combine(Path.GetTempPath(), "webstudio-tests", $"openiddict-{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var services = builder.Services;
        services.AddDbContext<ProviderDbContext>(options => options.UseSqlite($"Data Source={databasePath};Pooling=false").UseOpenIddict());
        services.AddAuthentication(SessionScheme).AddCookie(SessionScheme, options => options.Cookie.Name = SessionScheme);
        services.AddAuthorization();
        services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<ProviderDbContext>())
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
                options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                options.RegisterScopes(Scopes.Email, Scopes.Profile, "groups");
                options.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        var provider = new OpenIdProvider(app, databasePath);
        provider.MapEndpoints();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        provider.Authority = new Uri($"http://localhost:{address.Port}/");
        foreach (var user in users)
        {
            provider.Users[user.Name] = user;
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProviderDbContext>().Database.EnsureCreatedAsync();
        }

        return provider;
    }

    /// <summary>Registers the studio as a confidential client that must use PKCE, sent back to <paramref name="redirectUri"/>.</summary>
    public async Task RegisterClientAsync(Uri redirectUri)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            RedirectUris = { redirectUri },
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Email,
                Permissions.Scopes.Profile,
                Permissions.Prefixes.Scope + "groups",
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_databasePath);
    }

    private void MapEndpoints()
    {
        _app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (Delegate)AuthorizeAsync);
        _app.MapPost("/connect/token", async (HttpContext context) =>
        {
            // The code's principal, as the authorization endpoint made it.
            var code = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(code.Principal!, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        _app.MapGet(LoginPath, (string? returnUrl) => Results.Content(LoginForm(returnUrl ?? "/", error: false), "text/html"));
        _app.MapPost(LoginPath, (Delegate)SignInAsync);
    }

    private async Task<IResult> AuthorizeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await context.AuthenticateAsync(SessionScheme);
        if (!session.Succeeded || !Users.TryGetValue(session.Principal.Identity?.Name ?? "", out var user))
        {
            return Results.Redirect($"{LoginPath}?returnUrl={Uri.EscapeDataString(context.Request.Path + context.Request.QueryString)}");
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, user.Subject));
        identity.AddClaim(new Claim(Claims.Name, user.Name));
        identity.AddClaim(new Claim(Claims.Email, user.Email));
        identity.AddClaim(new Claim(Claims.EmailVerified, user.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean));
        foreach (var group in user.Groups)
        {
            identity.AddClaim(new Claim("groups", group));
        }

        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(static _ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<IResult> SignInAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var returnUrl = form["returnUrl"].ToString();
        if (!Users.TryGetValue(form["username"].ToString(), out var user) || form["password"] != OpenIdTestUser.Password)
        {
            return Results.Content(LoginForm(returnUrl, error: true), "text/html");
        }

        var session = new ClaimsIdentity(SessionScheme, ClaimTypes.Name, ClaimTypes.Role);
        session.AddClaim(new Claim(ClaimTypes.Name, user.Name));
        await context.SignInAsync(SessionScheme, new ClaimsPrincipal(session));
        return Results.LocalRedirect(returnUrl);
    }

    private static string LoginForm(string returnUrl, bool error) =>
        $"""
        <!doctype html><title>Test provider</title>
        {(error ? "<p id=\"error\">Wrong name or password.</p>" : "")}
        <form method="post" action="{LoginPath}">
          <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
          <input name="username"> <input name="password" type="password"> <button>Sign in</button>
        </form>
        """;

    private sealed class ProviderDbContext(DbContextOptions<ProviderDbContext> options) : DbContext(options);
}
