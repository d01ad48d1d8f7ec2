using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace WebStudio.Hardening.Tests.Authorization;

/// <summary>One route of the running app and one of its methods, with the rule the matrix holds it to.</summary>
public sealed record MatrixRoute(string Method, RoutePattern Pattern, RouteRule? Rule, Dictionary<string, string> Keys, List<string> Unfilled)
{
    public string Key => $"{Method} {Pattern.RawText}";

    /// <summary>A Razor component's route.</summary>
    public bool IsPage { get; init; }

    /// <summary>A page's form post: without the form's antiforgery token, refused before any handler runs.</summary>
    public bool IsPagePost => IsPage && Method == "POST";
}

/// <summary>The app's own endpoint list, as the matrix sees it.</summary>
public static class RouteMatrix
{
    /// <summary>Every route endpoint of the app but the framework's own static files, per method.</summary>
    public static List<MatrixRoute> Routes(IServiceProvider services)
    {
        var routes = new List<MatrixRoute>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (IsStaticAsset(endpoint))
            {
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            var page = endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null;
            foreach (var method in methods.Count == 0 ? ["*"] : methods)
            {
                var (keys, unfilled) = RouteParameters.Resolve(endpoint.RoutePattern);
                var raw = endpoint.RoutePattern.RawText ?? "";
                RouteRule? rule;
                if (page && RouteRules.Pages.TryGetValue(raw, out var pageRule))
                {
                    rule = pageRule;
                }
                else
                {
                    rule = RouteRules.Table.GetValueOrDefault($"{method} {raw}");
                }

                routes.Add(new MatrixRoute(method, endpoint.RoutePattern, rule, keys, unfilled) { IsPage = page });
            }
        }

        return routes;
    }

    /// <summary>The static files of MapStaticAssets (MudBlazor's, the framework's): public, probed as such.</summary>
    public static bool IsStaticAsset(Endpoint endpoint) =>
        endpoint.Metadata.Any(m => m.GetType().FullName == "Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor");

    /// <summary>The hubs the app maps from its own assembly (the Blazor circuit hub belongs to the framework).</summary>
    public static List<Type> Hubs(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<HubMetadata>()?.HubType)
            .OfType<Type>()
            .Where(t => t.Assembly == typeof(Program).Assembly)
            .Distinct()
            .ToList();
}
