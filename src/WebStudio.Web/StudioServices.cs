using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;
using WebStudio.Data;
using WebStudio.Redis;
using WebStudio.Studio;
using WebStudio.Web.Accounts;
using WebStudio.Web.Accounts.SingleSignOn;
using WebStudio.Web.Editing;
using WebStudio.Studio.Editing;
using WebStudio.Web.Galleries;
using WebStudio.Studio.Galleries;
using WebStudio.Web.Operations;
using WebStudio.Web.Options;
using WebStudio.Studio.Options;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Storage;

namespace WebStudio.Web;

/// <summary>The web host's services: the studio core and its queue workers, then pages, SignalR and Identity.</summary>
public static class StudioServices
{
    public static void AddStudio(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddStudioCore(configuration);
        services.AddQueueWorkers();
        var redis = services.AddStudioRedis(configuration);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddStudioHealthChecks(redis is not null);
        services.AddStudioMetrics(configuration);
        var signalR = services.AddSignalR();
        if (redis is not null)
        {
            // Several web nodes: hub messages reach connections on every node (the circuits stay sticky to theirs).
            signalR.AddStackExchangeRedis(backplane =>
            {
                backplane.Configuration = RedisConnection.Settings(redis);
                backplane.Configuration.ChannelPrefix = new RedisKeys(redis.Prefix).SignalR;
            });
            CircuitsWithoutBackplane.Register(services);
        }

        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(ApiCookieEvents.Configure));
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddIdentityCore<StudioUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<StudioDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddScoped<AccountBootstrap>();
        services.AddScoped<WebStudio.Web.Admin.AccountLinks>();
        services.AddSingleton<ThemePreferences>();
        services.AddScoped<WebStudio.Web.Components.Shared.ViewerClock>(); // the browser's time zone, per circuit
        services.AddScoped<WebStudio.Web.Engine.LastRunStorage>(); // the Generate page's last run, per tab
        services.AddThrottledLogin(configuration);
        services.AddSingleSignOn(configuration);
    }
}
