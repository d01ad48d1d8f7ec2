using Microsoft.Extensions.DependencyInjection;
using WebStudio.Web.Api;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;

namespace WebStudio.Tests.Shared;

/// <summary>The test server with one user holding a working key and a revoked one.</summary>
public sealed class KeyedApiServer : ApiServer
{
    public string Key { get; private set; } = "";

    public string RevokedKey { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var (userId, key) = await CreateUserWithKeyAsync("keyed");
        Key = key;
        var keys = Services.GetRequiredService<ApiKeyService>();
        var revoked = await keys.CreateAsync(userId, "old");
        Assert.True(await keys.RevokeAsync(userId, revoked.Row.Id));
        RevokedKey = revoked.Key;
    }
}
