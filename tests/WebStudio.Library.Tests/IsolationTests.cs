using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using WebStudio.Library.Tests.Infrastructure;

namespace WebStudio.Library.Tests;

/// <summary>
/// Every endpoint and hub method that takes an id, probed as another user, logged out, and with guessed,
/// sequential and path-traversal ids. Each probe must fail with 403 or 404 (401 for a logged-out API call, which
/// is the same refusal before the id is even looked at) and show nothing of the owner's data.
/// </summary>
public sealed class IsolationTests : IDisposable
{
    private const string Secret = "alice secret lighthouse";

    private readonly StudioHost _studio = StudioHost.Create(LibraryStudio.Options);

    public void Dispose() => _studio.Dispose();

    private sealed record Owned(Guid Job, Guid Image, Guid Gallery, Guid Share, string Token);

    private async Task<(TestUser Alice, TestUser Bob, Owned Owned)> ArrangeAsync()
    {
        await TestUser.RegisterAsync(_studio, "admin"); // the first account is the administrator; alice and bob are not
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var bob = await TestUser.RegisterAsync(_studio, "bob");
        var job = await alice.GenerateAsync(Secret);
        var image = TestUser.FirstImageId(job);
        var gallery = await HistoryApiTests.CreateGalleryAsync(alice, "Alice's gallery");
        await alice.Http.PutAsync($"/api/galleries/{gallery}/images/{image}", null);
        var share = await alice.Http.PostAsJsonAsync($"/api/galleries/{gallery}/shares", new { label = "for friends" });
        var body = await share.Content.ReadFromJsonAsync<JsonElement>();
        await bob.GenerateAsync("bob's own");
        return (alice, bob, new Owned(job.GetProperty("id").GetGuid(), image, gallery,
            body.GetProperty("link").GetProperty("id").GetGuid(), body.GetProperty("token").GetString()!));
    }

    /// <summary>Every id-taking request of the studio, for the given ids.</summary>
    private static IEnumerable<(HttpMethod Method, string Path, object? Body)> Probes(string job, string image, string gallery, string share) =>
    [
        (HttpMethod.Get, $"/api/images/{image}", null),
        (HttpMethod.Get, $"/api/images/{image}?download=true", null),
        (HttpMethod.Get, $"/api/images/{image}/thumb", null),
        (HttpMethod.Get, $"/api/uploads/{image}", null),
        (HttpMethod.Get, $"/api/jobs/{job}", null),
        (HttpMethod.Get, $"/api/jobs/{job}/preview", null),
        (HttpMethod.Post, $"/api/jobs/{job}/cancel", null),
        (HttpMethod.Post, $"/api/jobs/{job}/front", null),
        (HttpMethod.Get, $"/api/history/{job}", null),
        (HttpMethod.Post, $"/api/history/{job}/rerun", null),
        (HttpMethod.Delete, $"/api/history/{job}", null),
        (HttpMethod.Get, $"/api/galleries/{gallery}", null),
        (HttpMethod.Patch, $"/api/galleries/{gallery}", new { name = "taken over" }),
        (HttpMethod.Post, $"/api/galleries/{gallery}/move", new { index = 0 }),
        (HttpMethod.Put, $"/api/galleries/{gallery}/images/{image}", null),
        (HttpMethod.Post, $"/api/galleries/{gallery}/images/{image}/move", new { index = 0 }),
        (HttpMethod.Put, $"/api/galleries/{gallery}/cover/{image}", null),
        (HttpMethod.Delete, $"/api/galleries/{gallery}/images/{image}", null),
        (HttpMethod.Get, $"/api/galleries/{gallery}/shares", null),
        (HttpMethod.Get, $"/api/images/{image}/shares", null),
        (HttpMethod.Post, $"/api/galleries/{gallery}/shares", new { label = "mine now" }),
        (HttpMethod.Post, $"/api/images/{image}/shares", new { label = "mine now" }),
        (HttpMethod.Delete, $"/api/shares/{share}", null),
        (HttpMethod.Delete, $"/api/galleries/{gallery}", null),
        (HttpMethod.Get, $"/galleries/{gallery}", null),
    ];

    private static readonly string[] Traversals =
    [
        "../studio.db", "..%2fstudio.db", "%2e%2e%2fstudio.db", "%2e%2e/%2e%2e/etc/passwd", "%252e%252e%252fstudio.db",
        "..%5cstudio.db", "....%2f%2f", "%c0%ae%c0%ae%2f", "..%2f", "%2e%2e%2f", ".%2e%2f", "..;%2fstudio.db", "images%2f..%2f..%2fstudio.db",
    ];

    private async Task<List<string>> ProbeAsync(TestUser user, IEnumerable<(HttpMethod Method, string Path, object? Body)> probes, bool loggedOut)
    {
        var failures = new List<string>();
        foreach (var (method, path, body) in probes)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            using var response = await user.Http.SendAsync(request);
            var status = (int)response.StatusCode;
            var allowed = status is 403 or 404 || (loggedOut && status == 401)
                || (loggedOut && status == 302 && response.Headers.Location?.OriginalString.Contains("/Account/Login", StringComparison.Ordinal) == true);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var text = Encoding.UTF8.GetString(bytes);
            if (!allowed || text.Contains(Secret, StringComparison.Ordinal) || text.Contains("Alice's gallery", StringComparison.Ordinal)
                || (bytes.Length > 4 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G'))
            {
                failures.Add($"{method} {path} → {status}");
            }
        }

        return failures;
    }

    [Fact]
    public async Task Another_user_gets_404_or_403_for_every_id_and_changes_nothing()
    {
        var (alice, bob, owned) = await ArrangeAsync();

        var failures = await ProbeAsync(bob, Probes(owned.Job.ToString(), owned.Image.ToString(), owned.Gallery.ToString(), owned.Share.ToString()), loggedOut: false);

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await AssertAliceUntouchedAsync(alice, owned);
        var bobsHistory = await bob.Http.GetFromJsonAsync<JsonElement>("/api/history");
        Assert.DoesNotContain(Secret, bobsHistory.ToString());
        Assert.Equal(0, (await bob.Http.GetFromJsonAsync<JsonElement>("/api/galleries")).GetArrayLength());
    }

    [Fact]
    public async Task A_logged_out_visitor_is_refused_everywhere_but_the_share_link()
    {
        var (alice, _, owned) = await ArrangeAsync();
        var visitor = TestUser.Anonymous(_studio);

        var failures = await ProbeAsync(visitor, Probes(owned.Job.ToString(), owned.Image.ToString(), owned.Gallery.ToString(), owned.Share.ToString()), loggedOut: true);
        failures.AddRange(await ProbeAsync(visitor, [(HttpMethod.Get, "/api/history", null), (HttpMethod.Get, "/api/galleries", null), (HttpMethod.Get, "/history", null)], loggedOut: true));

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await AssertAliceUntouchedAsync(alice, owned);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Http.GetAsync($"/s/{owned.Token}")).StatusCode);
    }

    [Fact]
    public async Task Guessed_sequential_and_traversal_ids_find_nothing()
    {
        var (alice, bob, owned) = await ArrangeAsync();
        var guesses = new List<string>
        {
            Guid.NewGuid().ToString(),
            Guid.Empty.ToString(),
            "00000000-0000-0000-0000-000000000001",
            Neighbour(owned.Image, +1),
            Neighbour(owned.Job, -1),
            "1", "2", "-1", "0",
        };
        var probes = guesses.Concat(Traversals)
            .SelectMany(id => Probes(id, id, id, id))
            .Concat(Traversals.SelectMany(t => new (HttpMethod, string, object?)[]
            {
                (HttpMethod.Get, $"/api/images/{owned.Image}/{t}", null),
                (HttpMethod.Get, $"/s/{t}", null),
                (HttpMethod.Get, $"/s/{owned.Token}/images/{t}", null),
                (HttpMethod.Get, $"/s/{owned.Token}/{t}", null),
                (HttpMethod.Get, $"/s/{owned.Token}%2f..%2f..%2fapi%2fimages%2f{owned.Image}", null),
            }))
            .ToList();

        var failures = await ProbeAsync(bob, probes, loggedOut: false);
        failures.AddRange(await ProbeAsync(TestUser.Anonymous(_studio), probes, loggedOut: true));

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await AssertAliceUntouchedAsync(alice, owned);
    }

    [Fact]
    public async Task A_share_token_reaches_only_its_own_images()
    {
        var (alice, bob, owned) = await ArrangeAsync();
        var bobsImage = TestUser.FirstImageId(await bob.GenerateAsync("not shared"));
        var alicesOther = TestUser.FirstImageId(await alice.GenerateAsync("alice unshared"));
        var visitor = TestUser.Anonymous(_studio);

        Assert.Equal(HttpStatusCode.NotFound, (await visitor.Http.GetAsync($"/s/{owned.Token}/images/{bobsImage}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.Http.GetAsync($"/s/{owned.Token}/images/{alicesOther}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Http.GetAsync($"/s/{owned.Token}/images/{owned.Image}")).StatusCode);

        // A link of alice's that bob tries to revoke stays alive.
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.DeleteAsync($"/api/shares/{owned.Share}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Http.GetAsync($"/s/{owned.Token}")).StatusCode);
    }

    [Fact]
    public async Task The_preview_hub_refuses_another_users_job_and_a_logged_out_connection()
    {
        var (_, bob, owned) = await ArrangeAsync();

        await using var connection = await bob.ConnectHubAsync();
        foreach (var id in new[] { owned.Job, Guid.NewGuid(), Guid.Empty })
        {
            var error = await Assert.ThrowsAsync<HubException>(async () =>
            {
                var stream = connection.StreamAsync<JsonElement>("WatchJob", id);
                await foreach (var _ in stream)
                {
                }
            });
            Assert.Contains("job not found", error.Message);
        }

        var anonymous = TestUser.Anonymous(_studio);
        var refused = await Assert.ThrowsAnyAsync<Exception>(anonymous.ConnectHubAsync);
        Assert.Contains("401", refused.Message);
    }

    private async Task AssertAliceUntouchedAsync(TestUser alice, Owned owned)
    {
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync($"/api/images/{owned.Image}")).StatusCode);
        var gallery = await alice.Http.GetFromJsonAsync<JsonElement>($"/api/galleries/{owned.Gallery}");
        Assert.Equal("Alice's gallery", gallery.GetProperty("name").GetString());
        Assert.Equal(1, gallery.GetProperty("images").GetArrayLength());
        await using var db = _studio.OpenDatabase();
        Assert.Equal(1, await db.Jobs.CountAsync(j => j.OwnerId == alice.Id));
        Assert.Null((await db.ShareLinks.SingleAsync(l => l.Id == owned.Share)).RevokedAt);
        Assert.Equal(1, await db.ShareLinks.CountAsync());
        Assert.Equal(1, await db.Galleries.CountAsync());
    }

    private static string Neighbour(Guid id, int delta)
    {
        var bytes = id.ToByteArray();
        bytes[15] = (byte)(bytes[15] + delta);
        return new Guid(bytes).ToString();
    }
}
