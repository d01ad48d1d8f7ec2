using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebStudio.Library.Tests.Infrastructure;

namespace WebStudio.Library.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "timing (runs alone)";
}

/// <summary>A simple timing probe must not tell an unknown token from a revoked or expired one.</summary>
[Collection(TimingCollection.Name)]
public sealed class ShareTimingTests : IDisposable
{
    private readonly StudioHost _studio = StudioHost.Create(LibraryStudio.Options);

    public void Dispose() => _studio.Dispose();

    [Fact]
    public async Task Unknown_revoked_and_expired_tokens_answer_in_the_same_time()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var image = TestUser.FirstImageId(await alice.GenerateAsync("timed"));
        var gallery = await HistoryApiTests.CreateGalleryAsync(alice, "Timed");
        await alice.Http.PutAsync($"/api/galleries/{gallery}/images/{image}", null);
        var revoked = await ShareAsync(alice, gallery);
        var expired = await ShareAsync(alice, gallery);
        await alice.Http.DeleteAsync($"/api/shares/{revoked.Id}");
        await using (var db = _studio.OpenDatabase())
        {
            await db.ShareLinks.Where(l => l.Id == expired.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTime.UtcNow.AddSeconds(-1)));
        }

        var tokens = new Dictionary<string, string>
        {
            ["unknown"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            ["revoked"] = revoked.Token,
            ["expired"] = expired.Token,
        };
        var visitor = TestUser.Anonymous(_studio);
        var times = tokens.Keys.ToDictionary(k => k, _ => new List<double>());
        for (var round = 0; round < 60; round++)
        {
            // A different order each round, so drift in the machine's load falls on every kind alike.
            foreach (var (kind, token) in tokens.OrderBy(_ => Random.Shared.Next()))
            {
                var watch = Stopwatch.StartNew();
                using var response = await visitor.Http.GetAsync($"/s/{token}");
                await response.Content.ReadAsByteArrayAsync();
                watch.Stop();
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                if (round >= 10)
                {
                    times[kind].Add(watch.Elapsed.TotalMilliseconds); // the first rounds warm up
                }
            }
        }

        var medians = times.ToDictionary(t => t.Key, t => t.Value.Order().ElementAt(t.Value.Count / 2));
        var spread = medians.Values.Max() - medians.Values.Min();
        Assert.True(spread < Math.Max(1.0, 0.25 * medians.Values.Min()),
            "medians differ: " + string.Join(", ", medians.Select(m => $"{m.Key} {m.Value:0.00} ms")));
    }

    private static async Task<(Guid Id, string Token)> ShareAsync(TestUser user, Guid gallery)
    {
        var response = await user.Http.PostAsJsonAsync($"/api/galleries/{gallery}/shares", new { });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("link").GetProperty("id").GetGuid(), body.GetProperty("token").GetString()!);
    }
}
