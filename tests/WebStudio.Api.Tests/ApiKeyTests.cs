using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Api.Tests.Infrastructure;
using WebStudio.Data;
using WebStudio.Web.Api;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;
using WebStudio.Web.Options;
using WebStudio.Studio.Options;

namespace WebStudio.Api.Tests;

/// <summary>Keys (hashed, revocable, made from the command line) and the signed image links.</summary>
public sealed class ApiKeyTests(StudioHost server) : IClassFixture<StudioHost>
{
    [Fact]
    public async Task A_key_is_stored_only_as_its_SHA256_and_works_until_revoked()
    {
        var (userId, key) = await server.CreateUserWithKeyAsync("hashed");
        var keys = server.Services.GetRequiredService<ApiKeyService>();
        var second = await keys.CreateAsync(userId, "second");

        await using (var db = await server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync())
        {
            var rows = await db.ApiKeys.Where(k => k.OwnerId == userId).ToListAsync();
            Assert.Equal(2, rows.Count);
            var row = rows.Single(r => r.Name == "tests");
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key))), row.Hash);
            Assert.StartsWith(row.Prefix, key);
            Assert.StartsWith("ws-", key);
            Assert.Equal(46, key.Length); // "ws-" + 256 bits in unpadded base64url
        }

        Assert.DoesNotContain(key, ReadDatabaseFiles());

        using var client = server.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);
        var row1 = (await keys.ListAsync(userId)).Single(k => k.Name == "tests");
        Assert.True(await keys.RevokeAsync(userId, row1.Id));
        Assert.False(await keys.RevokeAsync(userId, row1.Id)); // a second revoke is a no-op

        using var refused = await client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var json = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("invalid_api_key", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        using var other = server.Client(second.Key);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/v1/models")).StatusCode);
    }

    [Fact]
    public async Task Another_user_cannot_revoke_my_key()
    {
        var (_, key) = await server.CreateUserWithKeyAsync("owner");
        var (intruder, _) = await server.CreateUserWithKeyAsync("intruder");
        var keys = server.Services.GetRequiredService<ApiKeyService>();
        var hash = ApiKeyService.Hash(key);
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var id = (await db.ApiKeys.SingleAsync(k => k.Hash == hash)).Id;

        Assert.False(await keys.RevokeAsync(intruder, id));
        using var client = server.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);
    }

    [Fact]
    public async Task The_command_line_creates_the_user_and_prints_a_key_for_the_same_database()
    {
        var first = await RunCommandAsync("create-api-key", "--user", "alice");
        var second = await RunCommandAsync("create-api-key", "--user", "alice", "--name", "ci");

        Assert.NotEqual(first, second);
        foreach (var key in new[] { first, second })
        {
            using var client = server.Client(key);
            using var models = await client.GetAsync("/v1/models");
            Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        }

        await using var db = await server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var alice = await db.Users.SingleAsync(u => u.UserName == "alice");
        Assert.Equal(["ci", "command line"], (await db.ApiKeys.Where(k => k.OwnerId == alice.Id).Select(k => k.Name).ToListAsync()).Order());
    }

    [Fact]
    public async Task A_signed_link_that_is_tampered_with_or_expired_is_not_found()
    {
        var (_, key) = await server.CreateUserWithKeyAsync("links");
        using var client = server.Client(key);
        using var response = await client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a", size = "64x64", quality = "low", response_format = "url" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var url = json.RootElement.GetProperty("data")[0].GetProperty("url").GetString()!;
        using var anonymous = server.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(url)).StatusCode);

        var tampered = url.Replace("format=png", "format=jpeg", StringComparison.Ordinal);
        var forged = url[..^4] + (url[^4..] == "AAAA" ? "BBBB" : "AAAA");
        var imageId = new Uri(url).Segments[^1];
        var expired = new SignedImageUrls(server.Services.GetRequiredService<IDataProtectionProvider>(), new ShiftedTime(TimeSpan.FromMinutes(-61)))
            .Create(new DefaultHttpContextRequest(server.BaseAddress).Request, Guid.Parse(imageId), "png", null);
        foreach (var bad in new[] { tampered, forged, expired, url.Split('?')[0] })
        {
            using var refused = await anonymous.GetAsync(bad);
            Assert.True(refused.StatusCode == HttpStatusCode.NotFound, $"{bad} gave {(int)refused.StatusCode}");
        }
    }

    private async Task<string> RunCommandAsync(params string[] args)
    {
        var output = await server.RunCommandAsync(args);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Single(lines);
        return lines[0];
    }

    private string ReadDatabaseFiles()
    {
        var text = new StringBuilder();
        foreach (var path in new[] { server.DatabasePath, server.DatabasePath + "-wal" }.Where(File.Exists))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }

    private sealed class ShiftedTime(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }

    private sealed class DefaultHttpContextRequest
    {
        public DefaultHttpContextRequest(Uri baseAddress)
        {
            var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
            context.Request.Scheme = baseAddress.Scheme;
            context.Request.Host = new Microsoft.AspNetCore.Http.HostString(baseAddress.Authority);
            Request = context.Request;
        }

        public Microsoft.AspNetCore.Http.HttpRequest Request { get; }
    }
}
