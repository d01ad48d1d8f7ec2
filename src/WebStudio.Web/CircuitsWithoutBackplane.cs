using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.SignalR;

namespace WebStudio.Web;

/// <summary>
/// Blazor's circuits keep SignalR's in-memory hub lifetime manager when the Redis backplane serves the other hubs.
/// A circuit lives on its own node (sticky sessions) and nothing is ever sent to it from another, so the backplane
/// carries nothing for it; but through the backplane, each new circuit subscribes to Redis first, and with Redis down
/// no page could come alive (dotnet/aspnetcore#58971), where the studio must go on without Redis, only without live
/// frames. Blazor's hub type is internal: it is found by name, and a start fails loudly should a framework update
/// ever rename it.
/// </summary>
public static class CircuitsWithoutBackplane
{
    private const string ComponentHubName = "Microsoft.AspNetCore.Components.Server.ComponentHub";

    private static readonly Type ComponentHub = typeof(CircuitHandler).Assembly.GetType(ComponentHubName, throwOnError: true)!;

    public static void Register(IServiceCollection services) =>
        // A closed registration wins over the backplane's open one (HubLifetimeManager<>) for this hub alone.
        services.AddSingleton(typeof(HubLifetimeManager<>).MakeGenericType(ComponentHub), typeof(DefaultHubLifetimeManager<>).MakeGenericType(ComponentHub));
}
