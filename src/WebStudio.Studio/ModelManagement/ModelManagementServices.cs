using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.ModelManagement;

public static class ModelManagementServices
{
    /// <summary>The model manager (Models section), and the default model chosen with it applied to Generation.</summary>
    public static IServiceCollection AddModelManagement(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ModelManagerOptions>(configuration.GetSection(ModelManagerOptions.Section));
        services.AddSingleton<IPostConfigureOptions<GenerationOptions>, DefaultModelFile.Apply>();
        services.TryAddSingleton<IFreeSpaceProbe, DriveFreeSpace>();
        services.AddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<ModelManagerOptions>>().Value;
            if (!Uri.TryCreate(settings.HubEndpoint.TrimEnd('/') + "/", UriKind.Absolute, out var endpoint))
            {
                throw new OptionsValidationException(ModelManagerOptions.Section, typeof(ModelManagerOptions), [$"Models:HubEndpoint '{settings.HubEndpoint}' is not an absolute URL."]);
            }

            // The timeout covers a response's headers; a download's body runs as long as it takes.
            var http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.UserAgent.ParseAdd("WebStudio-ModelManager/1.0");
            return new HuggingFaceHub(http, settings.Token);
        });
        services.AddSingleton<ModelInstallNotifier>();
        services.AddSingleton<ModelInstaller>();
        return services;
    }
}
