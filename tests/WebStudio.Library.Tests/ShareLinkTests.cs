using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SixLabors.ImageSharp;
using WebStudio.Library.Tests.Infrastructure;
using WebStudio.Web.Sharing;
using WebStudio.Studio.Sharing;

namespace WebStudio.Library.Tests;

public sealed partial class ShareLinkTests : IDisposable
{
    private readonly StudioHost _studio = StudioHost.Create(LibraryStudio.Options);

    public void Dispose() => _studio.Dispose();

    private sealed record Share(Guid Id, string Token, string Url);

    private static async Task<Share> ShareAsync(TestUser user, string target, object? options = null)
    {
        var response = await user.Http.PostAsJsonAsync($"/api/{target}/shares", options ?? new { });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"share gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Share(body.GetProperty("link").GetProperty("id").GetGuid(), body.GetProperty("token").GetString()!, body.GetProperty("url").GetString()!);
    }

    private async Task<(TestUser Alice, Guid Gallery, List<Guid> Images)> GalleryWithImagesAsync()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var job = await alice.GenerateAsync("a lighthouse at dusk", batch: 2, negative: "fog");
        var images = job.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
        var gallery = await HistoryApiTests.CreateGalleryAsync(alice, "Coast & sea", "Pictures of the coast");
        foreach (var id in images)
        {
            await alice.Http.PutAsync($"/api/galleries/{gallery}/images/{id}", null);
        }

        return (alice, gallery, images);
    }

    [Fact]
    public async Task A_token_is_256_random_url_safe_bits_and_only_its_hash_is_stored()
    {
        var (alice, gallery, _) = await GalleryWithImagesAsync();
        var one = await ShareAsync(alice, $"galleries/{gallery}");
        var two = await ShareAsync(alice, $"galleries/{gallery}", new { label = "second" });

        Assert.Matches("^[A-Za-z0-9_-]{43}$", one.Token);
        Assert.Equal(32, Convert.FromBase64String(one.Token.Replace('-', '+').Replace('_', '/') + "=").Length);
        Assert.NotEqual(one.Token, two.Token);
        Assert.EndsWith($"/s/{one.Token}", one.Url);

        await using var db = _studio.OpenDatabase();
        var stored = await db.ShareLinks.AsNoTracking().SingleAsync(l => l.Id == one.Id);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(one.Token)), stored.TokenHash);
        db.Database.ExecuteSqlRaw("PRAGMA wal_checkpoint(TRUNCATE)");
        var file = await File.ReadAllBytesAsync(Path.Combine(_studio.Folder, "studio.db"));
        Assert.DoesNotContain(one.Token, Encoding.Latin1.GetString(file));

        var list = await alice.Http.GetFromJsonAsync<JsonElement>($"/api/galleries/{gallery}/shares");
        Assert.Equal(2, list.GetArrayLength());
        Assert.DoesNotContain(one.Token, list.ToString());
    }

    [Fact]
    public async Task The_public_page_shows_full_images_prompts_downloads_and_preview_meta_without_login()
    {
        var (alice, gallery, images) = await GalleryWithImagesAsync();
        var share = await ShareAsync(alice, $"galleries/{gallery}");
        var visitor = TestUser.Anonymous(_studio);

        var response = await visitor.Http.GetAsync($"/s/{share.Token}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<meta property=\"og:title\" content=\"Coast &amp; sea\"", html);
        Assert.Contains("name=\"twitter:card\" content=\"summary_large_image\"", html);
        Assert.Contains("a lighthouse at dusk", html);
        Assert.Contains("Negative prompt: fog", html);
        Assert.DoesNotContain("Log out", html);
        Assert.DoesNotContain("href=\"/\"", html);
        Assert.DoesNotContain("/api/", html);
        Assert.DoesNotContain("blazor.web.js", html);

        // og:image is an absolute URL that really serves the (cover) image to anyone holding the link.
        var ogImage = OgImage().Match(html);
        Assert.True(ogImage.Success, "no og:image");
        var imageUrl = new Uri(WebUtility.HtmlDecode(ogImage.Groups[1].Value));
        Assert.True(imageUrl.IsAbsoluteUri);
        Assert.Equal($"/s/{share.Token}/images/{images[0]}", imageUrl.AbsolutePath);
        var png = await visitor.Http.GetAsync(imageUrl.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        var bytes = await png.Content.ReadAsByteArrayAsync();
        Assert.Equal(await alice.Http.GetByteArrayAsync($"/api/images/{images[0]}"), bytes); // full size, untouched

        foreach (var id in images)
        {
            Assert.Contains($"/s/{share.Token}/images/{id}?download=true", html);
        }

        var download = await visitor.Http.GetAsync($"/s/{share.Token}/images/{images[1]}?download=true");
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
    }

    [Fact]
    public async Task Hidden_prompts_leave_the_page_and_the_png_chunk()
    {
        var (alice, gallery, images) = await GalleryWithImagesAsync();
        var share = await ShareAsync(alice, $"galleries/{gallery}", new { hidePrompts = true });
        var visitor = TestUser.Anonymous(_studio);

        var html = await visitor.Http.GetStringAsync($"/s/{share.Token}");
        Assert.DoesNotContain("lighthouse", html);
        Assert.DoesNotContain("fog", html);

        var png = await visitor.Http.GetByteArrayAsync($"/s/{share.Token}/images/{images[0]}?download=true");
        var info = Image.Identify(png);
        Assert.Empty(info.Metadata.GetPngMetadata().TextData);
        Assert.DoesNotContain("lighthouse", Encoding.Latin1.GetString(png));
        Assert.Equal(64, info.Width);
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task A_shared_varied_image_gives_its_own_variation_seed_in_its_parameters()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var job = await alice.GenerateAsync(TestUser.Parameters("a lighthouse at dusk", seed: 9, batch: 2) with { VariationSeed = 500, VariationStrength = 0.3f });
        var gallery = await HistoryApiTests.CreateGalleryAsync(alice, "Variations", "");
        foreach (var image in job.GetProperty("images").EnumerateArray())
        {
            await alice.Http.PutAsync($"/api/galleries/{gallery}/images/{image.GetProperty("id").GetGuid()}", null);
        }

        var html = await TestUser.Anonymous(_studio).Http.GetStringAsync($"/s/{(await ShareAsync(alice, $"galleries/{gallery}")).Token}");
        var hidden = await TestUser.Anonymous(_studio).Http.GetStringAsync($"/s/{(await ShareAsync(alice, $"galleries/{gallery}", new { hidePrompts = true })).Token}");

        Assert.Contains("Seed: 9, Size: 64x64, Model: tiny, Variation seed: 500, Variation seed strength: 0.3", html);
        Assert.Contains("Variation seed: 501, Variation seed strength: 0.3", html);
        Assert.DoesNotContain("lighthouse", hidden);
    }

    [Fact]
    public async Task A_single_image_can_be_shared_and_the_link_covers_no_other_image()
    {
        var (alice, _, images) = await GalleryWithImagesAsync();
        var share = await ShareAsync(alice, $"images/{images[1]}");
        var visitor = TestUser.Anonymous(_studio);

        var html = await visitor.Http.GetStringAsync($"/s/{share.Token}");
        Assert.Contains($"/s/{share.Token}/images/{images[1]}", html);
        Assert.DoesNotContain(images[0].ToString(), html);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Http.GetAsync($"/s/{share.Token}/images/{images[1]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.Http.GetAsync($"/s/{share.Token}/images/{images[0]}")).StatusCode);

        // The owner finds it among their single-image links, and only there.
        var links = await _studio.Get<ShareLinkService>().ListImageLinksAsync(alice.Id);
        Assert.Equal(share.Id, Assert.Single(links).Id);
        Assert.Equal(images[1], links[0].ImageId);
        Assert.Empty(await _studio.Get<ShareLinkService>().ListImageLinksAsync("someone-else"));
    }

    [Fact]
    public async Task Unknown_revoked_expired_and_malformed_tokens_get_the_same_404_page()
    {
        var (alice, gallery, images) = await GalleryWithImagesAsync();
        var revoked = await ShareAsync(alice, $"galleries/{gallery}");
        var expired = await ShareAsync(alice, $"galleries/{gallery}", new { expiresAt = DateTime.UtcNow.AddMinutes(5) });
        var live = await ShareAsync(alice, $"galleries/{gallery}");
        var visitor = TestUser.Anonymous(_studio);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Http.GetAsync($"/s/{revoked.Token}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Http.GetAsync($"/s/{expired.Token}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await alice.Http.DeleteAsync($"/api/shares/{revoked.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.DeleteAsync($"/api/shares/{revoked.Id}")).StatusCode); // again: still fine
        await using (var db = _studio.OpenDatabase())
        {
            await db.ShareLinks.Where(l => l.Id == expired.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTime.UtcNow.AddSeconds(-1)));
        }

        var unknown = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var tokens = new Dictionary<string, string>
        {
            ["unknown"] = unknown,
            ["revoked"] = revoked.Token,
            ["expired"] = expired.Token,
            ["malformed"] = "not-a-token",
        };

        var bodies = new Dictionary<string, string>();
        foreach (var (kind, token) in tokens)
        {
            var page = await visitor.Http.GetAsync($"/s/{token}");
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            bodies[kind] = await page.Content.ReadAsStringAsync();
            var image = await visitor.Http.GetAsync($"/s/{token}/images/{images[0]}");
            Assert.Equal(HttpStatusCode.NotFound, image.StatusCode);
            Assert.Equal(bodies[kind], await image.Content.ReadAsStringAsync());
        }

        Assert.Single(bodies.Values.Distinct());
        Assert.Contains("Not found", bodies["unknown"]);
        // One sentence names every reason (issue 20), so no body tells which one it was.
        Assert.Contains("This link does not exist, was revoked or has expired.", bodies["revoked"]);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Http.GetAsync($"/s/{live.Token}")).StatusCode);
    }

    [Fact]
    public async Task Bad_share_requests_name_the_field()
    {
        var (alice, gallery, images) = await GalleryWithImagesAsync();

        var past = await alice.Http.PostAsJsonAsync($"/api/galleries/{gallery}/shares", new { expiresAt = DateTime.UtcNow.AddDays(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        var problem = await past.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("the expiry must be in the future", problem.GetProperty("errors").GetProperty("expiresAt")[0].GetString());

        var label = await alice.Http.PostAsJsonAsync($"/api/images/{images[0]}/shares", new { label = new string('x', 201) });
        Assert.Contains("the label can be at most 200 characters", await label.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("<meta property=\"og:image\" content=\"([^\"]+)\"")]
    private static partial Regex OgImage();
}
