using WebStudio.Web.History;
using WebStudio.Web.Sharing;

namespace WebStudio.Web.Galleries;

/// <summary>History, galleries and share links: their services and endpoints, hooked in by one line each in the host.</summary>
public static class GalleryFeatures
{
    public static IServiceCollection AddHistoryGalleriesAndSharing(this IServiceCollection services)
    {
        services.AddSingleton<ThumbnailStore>();
        services.AddSingleton<HistoryService>();
        services.AddSingleton<GalleryService>();
        services.AddSingleton<ShareLinkService>();
        return services;
    }

    public static IEndpointRouteBuilder MapHistoryGalleriesAndSharing(this IEndpointRouteBuilder app)
    {
        app.MapHistoryEndpoints();
        app.MapGalleryEndpoints();
        app.MapShareEndpoints();

        // Any other /api path, whatever the method, is "not found" (not 405), like an id that does not exist.
        app.Map("/api/{**rest}", () => Results.NotFound()).RequireAuthorization();
        return app;
    }
}
