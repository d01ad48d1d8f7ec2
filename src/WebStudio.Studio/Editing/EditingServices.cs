using Microsoft.Extensions.Options;
using WebStudio.Generation.Imaging;
using WebStudio.Studio.Maintenance;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Editing;

public static class EditingServices
{
    /// <summary>The Edit page's services: uploads, sources and submission.</summary>
    public static IServiceCollection AddEditing(this IServiceCollection services)
    {
        services.AddSingleton<UploadStore>();
        services.AddSingleton<SourceImages>();
        services.AddSingleton<EditSubmission>();
        services.AddSingleton<IMaintenanceTask, UploadCleanupSweep>();

        // ONNX super-resolution models sit in the "upscalers" folder of the models folder.
        services.AddSingleton(provider => new UpscalerCatalog(
            Path.Combine(Path.GetFullPath(provider.GetRequiredService<IOptions<GenerationOptions>>().Value.ModelsPath), "upscalers")));
        return services;
    }
}
