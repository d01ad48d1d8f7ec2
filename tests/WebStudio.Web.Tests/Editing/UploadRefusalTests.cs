using System.Net;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Editing;

/// <summary>Bad uploads for editing each get a clear 4xx that names the problem; good ones are stored per user.</summary>
public sealed class UploadRefusalTests
{
    [Fact]
    public async Task A_decompression_bomb_is_refused_from_its_header()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");

        var bomb = PngFiles.Bomb(60_000, 60_000);
        var response = await alice.PostFileAsync("/api/uploads", bomb);

        Assert.True(bomb.Length < 4096, $"the bomb is {bomb.Length} bytes");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, detail) = await EditClient.ProblemAsync(response);
        Assert.Equal("too_many_pixels", code);
        Assert.Contains("60000×60000", detail);
    }

    [Fact]
    public async Task A_truncated_file_is_refused_as_incomplete()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        using var picture = EditClient.Picture(64, 64);
        var png = EditClient.Png(picture);

        var response = await alice.PostFileAsync("/api/uploads", png[..(png.Length / 2)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, detail) = await EditClient.ProblemAsync(response);
        Assert.Equal("corrupt", code);
        Assert.Contains("incomplete", detail);
    }

    [Fact]
    public async Task Wrong_content_is_refused_whatever_the_name_and_declared_type()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        using var picture = EditClient.Picture(32, 32);
        using var gifStream = new MemoryStream();
        picture.Save(gifStream, new GifEncoder());

        var gif = await alice.PostFileAsync("/api/uploads", gifStream.ToArray(), "photo.png", "image/png");
        var text = await alice.PostFileAsync("/api/uploads", "hello, not an image"u8.ToArray(), "photo.jpg", "image/jpeg");
        var notMultipart = await alice.Http.PostAsync("/api/uploads", new ByteArrayContent(EditClient.Png(picture)));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, gif.StatusCode);
        var (gifCode, gifDetail) = await EditClient.ProblemAsync(gif);
        Assert.Equal("unsupported_format", gifCode);
        Assert.Contains("GIF", gifDetail);
        Assert.Contains("PNG, JPEG or WebP", gifDetail);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal("unsupported_format", (await EditClient.ProblemAsync(text)).Code);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notMultipart.StatusCode);
        Assert.Contains("multipart/form-data", (await EditClient.ProblemAsync(notMultipart)).Detail);
    }

    [Fact]
    public async Task A_file_over_20_MB_is_refused_as_too_large()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var big = new byte[20 * 1024 * 1024 + 1];
        PngFiles.Bomb(64, 64).CopyTo(big, 0);

        var response = await alice.PostFileAsync("/api/uploads", big);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var (code, detail) = await EditClient.ProblemAsync(response);
        Assert.Equal("too_large", code);
        Assert.Contains("20 MB", detail);
    }

    [Fact]
    public async Task A_mask_of_the_wrong_size_is_refused_and_a_right_one_accepted()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        using var picture = EditClient.Picture(64, 48);
        var upload = await alice.UploadAsync(picture);
        using var wrong = new Image<L8>(64, 64, new L8(255));
        using var right = new Image<L8>(64, 48, new L8(255));

        var response = await alice.PostFileAsync($"/api/masks?source={upload.Source}", EditClient.Png(wrong), "mask.png");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, detail) = await EditClient.ProblemAsync(response);
        Assert.Equal("mask_size_mismatch", code);
        Assert.Contains("64×64", detail);
        Assert.Contains("64×48", detail);
        Assert.NotEqual(Guid.Empty, await alice.UploadMaskAsync(upload.Source, right));
    }

    [Fact]
    public async Task Uploads_belong_to_their_owner_and_need_a_login()
    {
        using var folder = new TempFolder();
        await using var factory = ScriptedStudio.Create(folder);
        var alice = await StudioUserClient.RegisterAsync(factory, "alice");
        var bob = await StudioUserClient.RegisterAsync(factory, "bob");
        using var picture = EditClient.Picture(40, 30);
        using var blank = new Image<L8>(40, 30);
        var upload = await alice.UploadAsync(picture);

        using var back = await alice.DownloadAsync(upload.Url);
        var forBob = await bob.Http.GetAsync(upload.Url);
        var bobsMask = await bob.PostFileAsync($"/api/masks?source={upload.Source}", EditClient.Png(blank), "mask.png");
        var anonymous = await StudioUserClient.Anonymous(factory).PostFileAsync("/api/uploads", EditClient.Png(picture));

        Assert.Equal((40, 30), (upload.Width, upload.Height));
        Assert.Equal(picture[5, 5], back[5, 5]);
        Assert.Equal(HttpStatusCode.NotFound, forBob.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bobsMask.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
