using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebStudio.Library.Tests.Infrastructure;

namespace WebStudio.Library.Tests;

/// <summary>
/// Issue 20, defect 8: a dead share link says "This link does not exist, was revoked or has expired", and says it the
/// same way whatever the reason. Identical status, headers and body are a security property: a visitor cannot tell
/// a revoked or expired token (one that once worked) from one that never existed.
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed class DeadShareLinkTests : IDisposable
{
    private const string Words = "This link does not exist, was revoked or has expired.";

    private readonly StudioHost _studio = StudioHost.Create(LibraryStudio.Options);

    public void Dispose() => _studio.Dispose();

    private static async Task<(Guid Id, string Token)> ShareAsync(TestUser user, Guid gallery, object options)
    {
        var response = await user.Http.PostAsJsonAsync($"/api/galleries/{gallery}/shares", options);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("link").GetProperty("id").GetGuid(), body.GetProperty("token").GetString()!);
    }

    [Fact]
    public async Task Unknown_revoked_and_expired_links_get_the_same_status_headers_and_words()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var job = await alice.GenerateAsync("a red circle");
        var image = job.GetProperty("images")[0].GetProperty("id").GetGuid();
        var gallery = await HistoryApiTests.CreateGalleryAsync(alice, "Shapes", "");
        await alice.Http.PutAsync($"/api/galleries/{gallery}/images/{image}", null);
        var revoked = await ShareAsync(alice, gallery, new { });
        var expired = await ShareAsync(alice, gallery, new { expiresAt = DateTime.UtcNow.AddMinutes(5) });
        var visitor = TestUser.Anonymous(_studio);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Http.GetAsync($"/s/{revoked.Token}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Http.GetAsync($"/s/{expired.Token}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await alice.Http.DeleteAsync($"/api/shares/{revoked.Id}")).StatusCode);
        await using (var db = _studio.OpenDatabase())
        {
            await db.ShareLinks.Where(l => l.Id == expired.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTime.UtcNow.AddSeconds(-1)));
        }

        var unknown = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var answers = new List<string>();
        foreach (var token in new[] { unknown, revoked.Token, expired.Token })
        {
            using var response = await visitor.Http.GetAsync($"/s/{token}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains(Words, body, StringComparison.Ordinal);
            // Everything but the clock must match.
            var headers = response.Headers.Concat(response.Content.Headers)
                .Where(h => h.Key != "Date")
                .OrderBy(h => h.Key, StringComparer.Ordinal)
                .Select(h => $"{h.Key}: {string.Join(",", h.Value)}");
            answers.Add($"{(int)response.StatusCode}\n{string.Join("\n", headers)}\n\n{body}");
        }

        Assert.Single(answers.Distinct());
    }
}
