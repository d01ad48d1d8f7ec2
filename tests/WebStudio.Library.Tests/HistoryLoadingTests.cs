using System.Net;
using System.Text.RegularExpressions;
using SixLabors.ImageSharp;
using WebStudio.Library.Tests.Infrastructure;

namespace WebStudio.Library.Tests;

/// <summary>
/// Issue 20, defect 10 (History under 300 ms to its first thumbnails): the worker writes each thumbnail when it stores
/// the image, so no visit waits for one; the first screen's thumbnails are in the prerendered HTML and not lazy; and
/// the thumbnails, scripts and styles are cached by the browser for a year under URLs that change with their content.
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed partial class HistoryLoadingTests : IDisposable
{
    private readonly StudioHost _studio = StudioHost.Create(LibraryStudio.Options);

    public void Dispose() => _studio.Dispose();

    [Fact]
    public async Task A_new_image_has_its_thumbnail_written_when_it_is_stored_not_when_history_asks()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");

        var imageId = TestUser.FirstImageId(await alice.GenerateAsync("thumb at store"));

        // Before any request for it: the store wrote it beside the image.
        var path = Path.Combine(_studio.ThumbsPath(), $"{imageId:N}_256.webp");
        Assert.True(File.Exists(path), "the worker did not write the thumbnail when it stored the image");
        var stored = await File.ReadAllBytesAsync(path);
        var written = File.GetLastWriteTimeUtc(path);
        using (var thumb = Image.Load(stored))
        {
            Assert.Equal((64, 64), (thumb.Width, thumb.Height)); // the tiny model's 64² image, never enlarged
        }

        var response = await alice.Http.GetAsync($"/api/images/{imageId}/thumb");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(stored, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(written, File.GetLastWriteTimeUtc(path)); // served, not made again
        Assert.Single(Directory.GetFiles(_studio.ThumbsPath()));
    }

    [Fact]
    public async Task An_image_stored_without_a_thumbnail_gets_one_on_its_first_request_and_keeps_it()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var imageId = TestUser.FirstImageId(await alice.GenerateAsync("stored before thumbnails"));
        var path = Path.Combine(_studio.ThumbsPath(), $"{imageId:N}_256.webp");
        File.Delete(path); // as an image stored before the worker wrote thumbnails

        var response = await alice.Http.GetAsync($"/api/images/{imageId}/thumb");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        Assert.True(File.Exists(path));
        Assert.Equal(await File.ReadAllBytesAsync(path), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_first_screen_of_thumbnails_is_in_the_prerendered_page_eager_and_cached_for_a_year()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        for (var i = 0; i < 9; i++)
        {
            await alice.GenerateAsync($"card {i}", seed: i + 1);
        }

        var page = await alice.Http.GetStringAsync("/history");

        // Newest first: the first 8 cards' thumbnails load with the HTML; the 9th, below the fold, waits to be scrolled to.
        var thumbnails = ThumbnailTag().Matches(page).ToList();
        Assert.Equal(9, thumbnails.Count);
        Assert.All(thumbnails.Take(8), t => Assert.DoesNotContain("loading=\"lazy\"", t.Value));
        Assert.Contains("loading=\"lazy\"", thumbnails[8].Value);

        using var thumbnail = await alice.Http.GetAsync(thumbnails[0].Groups["url"].Value);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.True(thumbnail.Headers.CacheControl?.Private); // one account's image: never in a shared cache
        AssertKeptForAYear(thumbnail);
    }

    [Fact]
    public async Task The_pages_styles_and_scripts_are_linked_by_content_and_cached_for_a_year()
    {
        var alice = await TestUser.RegisterAsync(_studio, "alice");
        var page = await alice.Http.GetStringAsync("/history");

        var studioAssets = AssetLink().Matches(page).Select(m => m.Groups["url"].Value).ToList();
        Assert.Equal(["assets/css/studio.css", "assets/js/viewer-time-zone.js", "assets/js/early-links.js", "assets/lib/signalr/signalr.min.js", "assets/js/lightbox.js", "assets/js/menus.js"], studioAssets.Select(u => u.Split('?')[0]));
        foreach (var url in studioAssets)
        {
            using var response = await alice.Http.GetAsync("/" + url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertKeptForAYear(response);
        }

        // Another version than the file's (an old page's link) is served, but not kept for a year.
        using (var stale = await alice.Http.GetAsync("/assets/css/studio.css?v=000000000000"))
        {
            Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
            Assert.DoesNotContain("immutable", stale.Headers.CacheControl?.ToString() ?? "");
        }

        // MudBlazor's and Blazor's fingerprinted files: a year, not "no-cache" as a build's static assets default to.
        var fingerprinted = FingerprintedLink().Matches(page).Select(m => m.Groups["url"].Value).ToList();
        Assert.Contains(fingerprinted, u => u.StartsWith("_framework/blazor.web.", StringComparison.Ordinal));
        foreach (var url in fingerprinted)
        {
            using var response = await alice.Http.GetAsync("/" + url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertKeptForAYear(response);
        }
    }

    private static void AssertKeptForAYear(HttpResponseMessage response)
    {
        var cache = response.Headers.CacheControl;
        Assert.True(cache?.MaxAge >= TimeSpan.FromDays(365), $"{response.RequestMessage?.RequestUri}: Cache-Control {cache}");
        Assert.Contains(cache!.Extensions, e => e.Name == "immutable");
    }

    [GeneratedRegex("""<img [^>]*src="(?<url>/api/images/[0-9a-f-]{36}/thumb)"[^>]*class="history-thumb"[^>]*>""")]
    private static partial Regex ThumbnailTag();

    [GeneratedRegex(@"(?:href|src)=""(?<url>assets/[^""?]+\?v=[0-9a-f]{12})""")]
    private static partial Regex AssetLink();

    [GeneratedRegex(@"(?:href|src)=""(?<url>_(?:framework|content)/[^""]+\.[0-9a-z]{10}\.(?:css|js))""")]
    private static partial Regex FingerprintedLink();
}
