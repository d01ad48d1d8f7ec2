using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Web.Api;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;
using Xunit.Abstractions;

namespace WebStudio.Hardening.Tests.Abuse;

/// <summary>A burst at the rate limit: 40 parallel submissions of one user, half from the studio's /api and half
/// through the Images API, against a limit of 30 a minute counted once for both.</summary>
[Trait("Capability", "Hardening")]
public sealed class RateLimitBurstTests(RateLimitedServer server, ITestOutputHelper output) : IClassFixture<RateLimitedServer>
{
    private const int Burst = 40;

    [Fact]
    public async Task A_burst_of_40_parallel_submissions_gets_exactly_the_30_a_minute_and_429s_with_Retry_After()
    {
        var login = await StudioLogin.RegisterAsync(server, "burst");
        var key = (await server.Services.GetRequiredService<ApiKeyService>().CreateAsync(login.UserId, "burst")).Key;
        var clients = Enumerable.Range(0, Burst / 2).Select(_ => server.Client(key)).ToList();
        try
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, Burst).Select(i => i % 2 == 0
                ? login.Http.PostAsJsonAsync("/api/jobs", new { prompt = $"burst {i}", model = StudioHost.Model, steps = 1, width = 64, height = 64, seed = i })
                : clients[i / 2].SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
                {
                    Content = JsonContent.Create(new { prompt = $"burst {i}", size = "64x64", quality = "low", stream = true }),
                }, HttpCompletionOption.ResponseHeadersRead)));

            var accepted = answers.Count(a => a.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK);
            var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            output.WriteLine($"accepted {accepted} of {Burst} in one window; refused {refused.Count} (Retry-After {string.Join(", ", refused.Select(r => r.Headers.RetryAfter?.Delta?.TotalSeconds).Distinct())} s)");
            Assert.Equal(RateLimitedServer.PerMinute, accepted);
            Assert.Equal(Burst - RateLimitedServer.PerMinute, refused.Count);
            Assert.All(refused, r => Assert.InRange(r.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)));
            foreach (var r in refused)
            {
                Assert.Contains($"at most {RateLimitedServer.PerMinute}", await r.Content.ReadAsStringAsync());
            }

            await using var db = await server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
            Assert.Equal(RateLimitedServer.PerMinute, await db.Jobs.CountAsync(j => j.OwnerId == login.UserId));

            // The limit is the user's own: somebody else submits at once.
            var other = await StudioLogin.RegisterAsync(server, "burst-neighbour");
            using var neighbour = await other.Http.PostAsJsonAsync("/api/jobs", new { prompt = "next door", model = StudioHost.Model, steps = 1, width = 64, height = 64 });
            Assert.Equal(HttpStatusCode.Created, neighbour.StatusCode);
            foreach (var answer in answers)
            {
                answer.Dispose();
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }
}
