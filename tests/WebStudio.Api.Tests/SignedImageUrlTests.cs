using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WebStudio.Data;
using WebStudio.Web.Api;
using WebStudio.Web.Security;

namespace WebStudio.Api.Tests;

/// <summary>response_format=url links, signed by Data Protection's time-limited protector with the key ring in the database.</summary>
[Trait("Capability", "StudioCore")]
public sealed class SignedImageUrlTests(StudioHost server) : IClassFixture<StudioHost>
{
    [Fact]
    public async Task A_link_opens_its_image_without_a_key()
    {
        var url = await GenerateLinkAsync("works");
        using var anonymous = server.Client(null);

        using var response = await anonymous.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, (await response.Content.ReadAsByteArrayAsync())[..4]);
    }

    [Fact]
    public async Task An_expired_link_gets_a_clear_404()
    {
        var url = await GenerateLinkAsync("expired");
        var image = Guid.Parse(new Uri(url).Segments[^1]);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow - SignedImageUrls.Lifetime - TimeSpan.FromMinutes(1));
        var expired = new SignedImageUrls(server.Services.GetRequiredService<IDataProtectionProvider>(), clock).Create(Request(), image, "png", null);
        using var anonymous = server.Client(null);

        await AssertRefusedAsync(anonymous, expired);
    }

    [Fact]
    public async Task A_tampered_link_gets_a_clear_404()
    {
        var url = await GenerateLinkAsync("tampered");
        var sig = url[(url.IndexOf("&sig=", StringComparison.Ordinal) + 5)..];
        var flipped = sig[..20] + (sig[20] == 'A' ? 'B' : 'A') + sig[21..];
        var expires = System.Text.RegularExpressions.Regex.Match(url, "expires=([0-9]+)", System.Text.RegularExpressions.RegexOptions.NonBacktracking).Groups[1].Value;
        using var anonymous = server.Client(null);

        foreach (var bad in new[]
        {
            url.Replace(sig, flipped, StringComparison.Ordinal), // the signature itself
            url.Replace("format=png", "format=jpeg", StringComparison.Ordinal), // a value it signs
            url.Replace($"expires={expires}", $"expires={long.Parse(expires) + 3600}", StringComparison.Ordinal), // a longer life
            url.Replace(new Uri(url).Segments[^1], Guid.NewGuid().ToString("N"), StringComparison.Ordinal), // another image
            url.Replace(sig, "not-a-token", StringComparison.Ordinal),
        })
        {
            await AssertRefusedAsync(anonymous, bad);
        }
    }

    [Fact]
    public async Task A_link_still_works_after_a_restart_because_the_key_ring_is_in_the_database()
    {
        var url = await GenerateLinkAsync("restart");
        using (var scope = server.Services.CreateScope())
        {
            Assert.NotEmpty(scope.ServiceProvider.GetRequiredService<StudioDbContext>().DataProtectionKeys);
        }

        var keys = Path.Combine(server.Folder, StudioDataProtection.KeysFolder);
        Assert.False(Directory.Exists(keys), "the old key folder was made");
        Assert.False(File.Exists(Path.Combine(server.Folder, "api-url-secret.key")));

        // A second host on the same data: a new container whose key ring is read from the database, as after a restart.
        var restarted = new SameDataServer(server);
        try
        {
            await restarted.InitializeAsync();
            using var anonymous = restarted.Client(null);
            using var response = await anonymous.GetAsync(new Uri(url).PathAndQuery);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            await restarted.DisposeAsync();
        }
    }

    private async Task<string> GenerateLinkAsync(string name)
    {
        var (_, key) = await server.CreateUserWithKeyAsync($"link-{name}");
        using var client = server.Client(key);
        using var response = await client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a", size = "64x64", quality = "low", response_format = "url" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("data")[0].GetProperty("url").GetString()!;
    }

    private static async Task AssertRefusedAsync(HttpClient anonymous, string url)
    {
        using var refused = await anonymous.GetAsync(url);
        Assert.True(refused.StatusCode == HttpStatusCode.NotFound, $"{url} gave {(int)refused.StatusCode}");
        using var json = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Contains("invalid or has expired", error.GetProperty("message").GetString());
    }

    private HttpRequest Request()
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = server.BaseAddress.Scheme;
        context.Request.Host = new HostString(server.BaseAddress.Authority);
        return context.Request;
    }

    private sealed class SameDataServer(StudioHost first)
        : StudioHost(first.Options with { RunJobs = false });
}
