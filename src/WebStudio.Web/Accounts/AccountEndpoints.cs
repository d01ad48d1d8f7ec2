using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using WebStudio.Data;

namespace WebStudio.Web.Accounts;

/// <summary>Log out is a form POST (with antiforgery), as in the ASP.NET Core Identity template.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/Account/Logout", async ([FromServices] SignInManager<StudioUser> signInManager) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect("~/Account/Login");
        }).WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());
        return app;
    }
}
