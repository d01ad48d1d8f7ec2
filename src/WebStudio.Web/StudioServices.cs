using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;
using WebStudio.Data;
using WebStudio.Web.Accounts;
using WebStudio.Web.Editing;
using WebStudio.Web.Galleries;
using WebStudio.Web.Options;
using WebStudio.Web.Previews;
using WebStudio.Web.Queue;
using WebStudio.Web.Storage;

namespace WebStudio.Web;

/// <summary>Service registration of the studio, apart from the generation engine (see Program).</summary>
public static class StudioServices
{
    public static void AddStudio(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.Configure<StudioOptions>(configuration.GetSection(StudioOptions.Section));
        services.Configure<QueueOptions>(configuration.GetSection(QueueOptions.Section));
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.Section));
        services.Configure<GenerationOptions>(configuration.GetSection(GenerationOptions.Section));

        // Resolved from options (not read here) so that hosts and tests that add configuration later are honoured.
        services.AddDbContextFactory<StudioDbContext>((provider, options) =>
        {
            var studio = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<StudioOptions>>().Value;
            options.UseStudioSqlite(StudioDatabase.ConnectionString(Path.GetFullPath(studio.DatabasePath)));
        });

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddSignalR();

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
        services.AddThrottledLogin(configuration);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ImageStore>();
        services.AddSingleton<JobProgressNotifier>();
        services.AddSingleton<QueueSignal>();
        services.AddSingleton<RunningJobs>();
        services.AddSingleton<SubmissionRateLimiter>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<SeedSource>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<JobAccess>();
        services.AddSingleton<QueueSnapshot>();
        services.AddHostedService<QueueWorkerService>();
        services.AddSingleton<SharedProgressRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<SharedProgressRelay>());
        services.AddHistoryGalleriesAndSharing();
        services.AddEditing();
    }
}
