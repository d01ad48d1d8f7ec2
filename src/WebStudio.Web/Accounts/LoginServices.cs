using WebStudio.Web.Options;
using WebStudio.Studio.Options;

namespace WebStudio.Web.Accounts;

public static class LoginServices
{
    /// <summary>The login form's throttled, uniform password sign-in (<see cref="PasswordLogin"/>).</summary>
    public static IServiceCollection AddThrottledLogin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LoginOptions>()
            .Bind(configuration.GetSection(LoginOptions.Section))
            .Validate(o => o.AttemptsPerClient > 0 && o.AttemptsPerAccount > 0 && o.FailuresBeforeBackoff > 0,
                "Login:AttemptsPerClient, Login:AttemptsPerAccount and Login:FailuresBeforeBackoff must be at least 1.")
            .Validate(o => o.ClientWindow > TimeSpan.Zero && o.AccountWindow > TimeSpan.Zero && o.FirstBackoff > TimeSpan.Zero && o.LongestBackoff >= o.FirstBackoff,
                "Login:ClientWindow, Login:AccountWindow and Login:FirstBackoff must be positive, and Login:LongestBackoff at least Login:FirstBackoff.")
            .ValidateOnStart();
        services.AddSingleton<LoginThrottle>();
        services.AddScoped<PasswordLogin>();
        return services;
    }
}
