using Microsoft.Extensions.Options;
using WebStudio.Generation.Imaging;
using WebStudio.Web.Options;

namespace WebStudio.Web.Editing;

public static class EditingServices
{
    /// <summary>The Edit page's services; the queue worker needs <see cref="UpscaleRunner"/> for upscale jobs.</summary>
    public static IServiceCollection AddEditing(this IServiceCollection services)
    {
        services.AddSingleton<UploadStore>();
        services.AddSingleton<SourceImages>();
        services.AddSingleton<EditSubmission>();
        services.AddSingleton<UpscaleRunner>();
        services.AddHostedService<UploadCleanupService>();

        // ONNX super-resolution models sit in the "upscalers" folder of the models folder.
        services.AddSingleton(provider => new UpscalerCatalog(
            Path.Combine(Path.GetFullPath(provider.GetRequiredService<IOptions<GenerationOptions>>().Value.ModelsPath), "upscalers")));
        return services;
    }
}
