using Microsoft.AspNetCore.Authentication.Cookies;

namespace WebStudio.Web.Accounts;

/// <summary>API and hub calls get 401/403 status codes; only pages are redirected to the login form. A signed-in
/// non-administrator gets a plain 403 from the admin area (/admin), not the access-denied page.</summary>
public static class ApiCookieEvents
{
    /// <summary>The administrators' pages and exports.</summary>
    public const string AdminArea = "/admin";

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.LoginPath = "/Account/Login";
        options.AccessDeniedPath = "/Account/AccessDenied";
        options.Events.OnRedirectToLogin = context => Redirect(context, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => Redirect(context, StatusCodes.Status403Forbidden);
        options.Events.OnValidatePrincipal = LiveAccountCheck.ValidateAsync;
    }

    private static Task Redirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs"))
        {
            context.Response.StatusCode = status;
        }
        else if (status == StatusCodes.Status403Forbidden && path.StartsWithSegments(AdminArea))
        {
            // A body of its own, so that the status code pages do not turn it into the not-found page.
            context.Response.StatusCode = status;
            return context.Response.WriteAsync("403 Forbidden: this page is for administrators.");
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
