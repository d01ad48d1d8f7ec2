using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;
namespace WebStudio.Web.Api;

public static class ImagesApiRegistration
{
    /// <summary>The Images API's services; the queue also needs <see cref="JobInputStore"/> for img2img jobs.</summary>
    public static void AddImagesApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<SignedImageUrls>();
        services.AddSingleton<ApiImageService>();
        services.AddApiKeyAuthentication();
    }
}
