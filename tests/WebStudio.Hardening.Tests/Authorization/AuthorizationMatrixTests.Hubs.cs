using System.Reflection;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace WebStudio.Hardening.Tests.Authorization;

/// <summary>The hub side of the matrix: every public method of every hub the app maps.</summary>
public sealed partial class AuthorizationMatrixTests
{
    [Fact]
    public async Task Every_hub_method_answers_another_users_resource_as_a_missing_one_and_no_connection_without_a_login()
    {
        var hubs = RouteMatrix.Hubs(world.Server.Services);
        Assert.NotEmpty(hubs);
        var methods = 0;
        foreach (var hub in hubs)
        {
            var path = (string)hub.GetField("Path")!.GetValue(null)!;
            var before = _failures.Count;
            await RefusedConnectionAsync(hub, path, "anonymous", key: null);
            await RefusedConnectionAsync(hub, path, "revoked key", world.OwnerRevokedKey);
            _breaches += _failures.Count - before;
            await using var owner = await ConnectAsync(path, world.Owner);
            await using var other = await ConnectAsync(path, world.Other);
            foreach (var method in hub.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(m => !m.IsSpecialName))
            {
                methods++;
                await HubMethodAsync(hub, method, owner, other);
            }
        }

        output.WriteLine($"hubs: {hubs.Count}, hub methods: {methods}; attack probes: {_attacks} tried, {_breaches} succeeded; owner probes: {_owners}");
        Assert.True(_failures.Count == 0, string.Join("\n", _failures));
    }

    private async Task HubMethodAsync(Type hub, MethodInfo method, HubConnection owner, HubConnection other)
    {
        var parameters = method.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken)).ToList();
        var keys = parameters.Select(p => RouteParameters.Argument(p.Name!)).ToList();
        if (keys.IndexOf(null) is var unknown and >= 0)
        {
            _failures.Add($"The hub method {hub.Name}.{method.Name} has the parameter {{{parameters[unknown].Name}}} that RouteParameters.Table cannot fill: add \"{{{parameters[unknown].Name}}}\".");
            return;
        }

        var table = keys.Select(k => RouteParameters.Table[k!]).ToList();
        object?[] Arguments(Func<RouteParameter, string> value) =>
            parameters.Select((p, i) => p.ParameterType == typeof(Guid) ? Guid.Parse(value(table[i])) : (object)value(table[i])).ToArray();
        var owned = Arguments(p => p.Owned(world));
        var missing = Arguments(p => p.Shared ? p.Owned(world) : p.Missing());
        var ids = owned.Concat(missing).Select(a => a?.ToString() ?? "").ToList();

        var mine = await CallAsync(owner, method, owned, ids);
        _owners++;
        if (mine is not null)
        {
            _failures.Add($"{hub.Name}.{method.Name} as the owner: {mine}");
        }

        if (table.All(p => p.Shared))
        {
            return;
        }

        var foreign = await CallAsync(other, method, owned, ids);
        var none = await CallAsync(other, method, missing, ids);
        _attacks += 2;
        if (foreign != none || foreign is null)
        {
            _breaches++;
            _failures.Add($"{hub.Name}.{method.Name} as another user: the owner's ids got [{foreign ?? "success"}], ids that exist nowhere [{none ?? "success"}]");
        }
    }

    /// <summary>Calls a hub method (a stream is read to its end); null when it succeeds, else the error's text with ids taken out.</summary>
    private static async Task<string?> CallAsync(HubConnection connection, MethodInfo method, object?[] arguments, IEnumerable<string> ids)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            if (IsStream(method.ReturnType))
            {
                var stream = await connection.StreamAsChannelCoreAsync(method.Name, typeof(object), arguments, timeout.Token);
                await foreach (var _ in stream.ReadAllAsync(timeout.Token))
                {
                }
            }
            else
            {
                await connection.InvokeCoreAsync(method.Name, typeof(object), arguments, timeout.Token);
            }

            return null;
        }
        catch (Exception e) when (e is Microsoft.AspNetCore.SignalR.HubException or InvalidOperationException)
        {
            return ids.Aggregate(e.Message, (text, id) => text.Replace(id, "{id}", StringComparison.OrdinalIgnoreCase));
        }
    }

    private static bool IsStream(Type type)
    {
        var result = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>) ? type.GetGenericArguments()[0] : type;
        return result.IsGenericType && (result.GetGenericTypeDefinition() == typeof(ChannelReader<>) || result.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>));
    }

    private async Task<HubConnection> ConnectAsync(string path, StudioLogin login)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(world.Server.BaseAddress, path), options => options.Headers["Cookie"] = login.Cookies.GetCookieHeader(world.Server.BaseAddress))
            .Build();
        await connection.StartAsync();
        return connection;
    }

    // Without a login the connection itself is refused (401 at negotiation), before any method can be named.
    private async Task RefusedConnectionAsync(Type hub, string path, string caller, string? key)
    {
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(world.Server.BaseAddress, path), options =>
            {
                if (key is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(key);
                }
            })
            .Build();
        _attacks++;
        var refused = await Record.ExceptionAsync(() => connection.StartAsync());
        if (refused is not HttpRequestException { StatusCode: System.Net.HttpStatusCode.Unauthorized })
        {
            _failures.Add($"{hub.Name} as {caller}: the connection was {(refused is null ? "accepted" : $"refused with {refused.GetType().Name}: {refused.Message}")}, expected 401");
        }
    }
}
