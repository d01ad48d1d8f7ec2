using WebStudio.Web.History;
using WebStudio.Studio.History;
using WebStudio.Web.Sharing;
using WebStudio.Studio.Sharing;
using WebStudio.Studio.Galleries;
using WebStudio.Web.Styles;

namespace WebStudio.Web.Galleries;

/// <summary>The endpoints of history, galleries, share links and prompt styles, hooked in by one line in the host.</summary>
public static class GalleryFeatures
{
    public static IEndpointRouteBuilder MapHistoryGalleriesAndSharing(this IEndpointRouteBuilder app)
    {
        app.MapHistoryEndpoints();
        app.MapGalleryEndpoints();
        app.MapShareEndpoints();
        app.MapPromptStyleEndpoints();

        // Any other /api path, whatever the method, is "not found" (not 405), like an id that does not exist.
        app.Map("/api/{**rest}", () => Results.NotFound()).RequireAuthorization();
        return app;
    }
}
