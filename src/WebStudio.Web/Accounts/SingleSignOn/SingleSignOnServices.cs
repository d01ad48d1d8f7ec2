using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using WebStudio.Web.Options;

namespace WebStudio.Web.Accounts.SingleSignOn;

public static class SingleSignOnServices
{
    /// <summary>The OpenID Connect scheme when configured (authorization code with PKCE), and <see cref="ExternalSignIn"/>.</summary>
    public static IServiceCollection AddSingleSignOn(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SingleSignOnOptions.Section);
        services.AddOptions<SingleSignOnOptions>()
            .Bind(section)
            .Validate(o => !o.Enabled || o.CallbackPath.StartsWith('/'), "SingleSignOn:CallbackPath must start with '/'.")
            .Validate(o => !o.Enabled || o.RoleMap.Values.All(role => !string.IsNullOrWhiteSpace(role)), "SingleSignOn:RoleMap must map each claim value to a role name.")
            .ValidateOnStart();
        services.AddScoped<ExternalSignIn>();

        var settings = section.Get<SingleSignOnOptions>() ?? new SingleSignOnOptions();
        if (!settings.Enabled)
        {
            return services;
        }

        services.AddAuthentication().AddOpenIdConnect(SingleSignOnOptions.Scheme, settings.DisplayName, options =>
        {
            options.SignInScheme = IdentityConstants.ExternalScheme;
            options.Authority = settings.Authority;
            options.ClientId = settings.ClientId;
            options.ClientSecret = string.IsNullOrEmpty(settings.ClientSecret) ? null : settings.ClientSecret;
            options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            options.CallbackPath = settings.CallbackPath;
            options.ResponseType = "code";
            options.UsePkce = true;

            // The code comes back on a top-level GET, so the correlation and nonce cookies can be Lax and work on
            // plain HTTP too (form_post would need SameSite=None, which browsers accept only on Secure cookies).
            options.ResponseMode = "query";
            options.CorrelationCookie.SameSite = SameSiteMode.Lax;
            options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.NonceCookie.SameSite = SameSiteMode.Lax;
            options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;

            // Claims keep the provider's names ("sub", "email", "groups"): the role map names them so.
            options.MapInboundClaims = false;
            options.GetClaimsFromUserInfoEndpoint = settings.GetClaimsFromUserInfoEndpoint;
            options.ClaimActions.MapJsonKey("email", "email");
            options.ClaimActions.MapJsonKey(settings.RoleClaim, settings.RoleClaim);
            options.SaveTokens = false;
            options.Scope.Clear();
            options.Scope.Add("openid");
            options.Scope.Add("profile");
            options.Scope.Add("email");
            foreach (var scope in settings.Scopes.Where(s => !string.IsNullOrWhiteSpace(s)))
            {
                options.Scope.Add(scope);
            }
        });
        return services;
    }
}
