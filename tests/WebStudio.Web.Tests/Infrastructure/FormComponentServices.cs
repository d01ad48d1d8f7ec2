using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Styles;

namespace WebStudio.Web.Tests.Infrastructure;

/// <summary>Services the Generate form's own components inject, for bUnit tests that render the form alone.</summary>
public static class FormComponentServices
{
    /// <summary>The style picker's service. Such a form has no user, so the picker reads no styles and the database
    /// (in memory, never created) is not touched.</summary>
    public static IServiceCollection AddPromptStylesWithoutUser(this IServiceCollection services)
    {
        services.AddDbContextFactory<StudioDbContext>(options => options.UseStudioSqlite("Data Source=:memory:"));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PromptStyleService>();
        return services;
    }
}
