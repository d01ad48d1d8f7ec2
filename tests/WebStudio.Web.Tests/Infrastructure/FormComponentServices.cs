using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WebStudio.Data;
using WebStudio.Studio.Prompts;
using WebStudio.Studio.Styles;

namespace WebStudio.Web.Tests.Infrastructure;

/// <summary>Services the Generate form's own components inject, for bUnit tests that render the form alone.</summary>
public static class FormComponentServices
{
    /// <summary>The style picker's service, and the wildcards (none, unless the test added some first). Such a form has
    /// no user, so the picker reads no styles and the database (in memory, never created) is not touched.</summary>
    public static IServiceCollection AddPromptStylesWithoutUser(this IServiceCollection services)
    {
        services.AddDbContextFactory<StudioDbContext>(options => options.UseStudioSqlite("Data Source=:memory:"));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PromptStyleService>();
        services.TryAddSingleton(Wildcards.None);
        return services;
    }
}
