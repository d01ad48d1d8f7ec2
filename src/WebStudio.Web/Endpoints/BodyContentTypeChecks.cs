using Microsoft.AspNetCore.Http.Metadata;

namespace WebStudio.Web.Endpoints;

/// <summary>
/// Endpoints of a group check the body's Content-Type themselves instead of routing on it: routing on it would skip
/// them for a wrong type and fall through to /api/{**rest}, a 404, where a 415 naming the expected type is right.
/// </summary>
public static class BodyContentTypeChecks
{
    public static TBuilder CheckContentTypeInEndpoint<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<IAcceptsMetadata>().Any(a => a.ContentTypes.Count > 0))
            {
                endpoint.Metadata.Add(AnyContentType.Instance); // the last accepts metadata is the one routing reads
            }
        });
        return builder;
    }

    private sealed class AnyContentType : IAcceptsMetadata
    {
        public static readonly AnyContentType Instance = new();

        public IReadOnlyList<string> ContentTypes => [];

        public Type? RequestType => null;

        public bool IsOptional => true;
    }
}
