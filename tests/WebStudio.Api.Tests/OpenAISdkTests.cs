using System.ClientModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Api.Tests.Infrastructure;
using WebStudio.Data;
using GeneratedImage = OpenAI.Images.GeneratedImage;

namespace WebStudio.Api.Tests;

/// <summary>The official OpenAI .NET SDK, unmodified, pointed at the studio on 127.0.0.1.</summary>
public sealed class OpenAISdkTests(StudioHost server) : IClassFixture<StudioHost>
{
    private async Task<(string UserId, ImageClient Client)> ClientAsync(string user)
    {
        var (userId, key) = await server.CreateUserWithKeyAsync(user);
        var client = new ImageClient(StudioHost.Model, new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "/v1") });
        return (userId, client);
    }

    [Fact]
    public async Task The_SDK_generates_an_image_that_lands_in_the_users_history()
    {
        var (userId, client) = await ClientAsync("sdk-generate");

        GeneratedImage image = await client.GenerateImageAsync("a red circle", new ImageGenerationOptions
        {
            Size = new GeneratedImageSize(64, 64),
            ResponseFormat = GeneratedImageFormat.Bytes,
            Quality = new GeneratedImageQuality("low"),
        });

        using var decoded = Image.Load<Rgb24>(image.ImageBytes.ToArray());
        Assert.Equal((64, 64), (decoded.Width, decoded.Height));

        await using var db = await server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var job = await db.Jobs.Include(j => j.Images).SingleAsync(j => j.OwnerId == userId);
        Assert.Equal((JobSource.Api, JobStatus.Succeeded, JobKind.Txt2Img, 8), (job.Source, job.Status, job.Kind, job.Steps));
        Assert.Single(job.Images);
    }

    [Fact]
    public async Task The_SDK_gets_n_images_and_signed_urls_that_work_without_a_key()
    {
        var (userId, client) = await ClientAsync("sdk-urls");

        GeneratedImageCollection images = await client.GenerateImagesAsync("blue squares", 10, new ImageGenerationOptions
        {
            Size = new GeneratedImageSize(64, 64),
            ResponseFormat = GeneratedImageFormat.Uri,
            Quality = new GeneratedImageQuality("low"),
        });

        Assert.Equal(10, images.Count);
        using var anonymous = server.Client(null);
        var distinct = new HashSet<string>();
        foreach (var image in images)
        {
            Assert.StartsWith(server.BaseAddress.ToString().TrimEnd('/') + "/v1/files/images/", image.ImageUri.ToString());
            var bytes = await anonymous.GetByteArrayAsync(image.ImageUri);
            using var decoded = Image.Load<Rgb24>(bytes);
            Assert.Equal(64, decoded.Width);
            distinct.Add(Convert.ToBase64String(bytes));
        }

        Assert.Equal(10, distinct.Count); // consecutive seeds, different pictures

        // Ten images are more than one batch holds (8): two jobs, with consecutive seeds.
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var jobs = await db.Jobs.Where(j => j.OwnerId == userId).OrderBy(j => j.Seed).ToListAsync();
        Assert.Equal([8, 2], jobs.Select(j => j.BatchSize));
        Assert.Equal(jobs[0].Seed + 8, jobs[1].Seed);
    }

    [Fact]
    public async Task The_SDK_edits_with_a_mask_and_only_the_transparent_part_is_repainted()
    {
        var (userId, client) = await ClientAsync("sdk-edit");
        var source = TestImages.Bands();
        using var original = Image.Load<Rgb24>(source);

        GeneratedImage edited = await client.GenerateImageEditAsync(
            new MemoryStream(source), "source.png", "a yellow star", new MemoryStream(TestImages.RightHalfMask()), "mask.png",
            new ImageEditOptions { ResponseFormat = GeneratedImageFormat.Bytes, Size = new GeneratedImageSize(64, 64) });

        using var result = Image.Load<Rgb24>(edited.ImageBytes.ToArray());
        Assert.Equal((64, 64), (result.Width, result.Height));
        int keptSame = 0, repaintedChanged = 0;
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                if (x < 24 && result[x, y].Equals(original[x, y]))
                {
                    keptSame++; // well inside the opaque half, away from the feathered edge
                }

                if (x >= 40 && !result[x, y].Equals(original[x, y]))
                {
                    repaintedChanged++;
                }
            }
        }

        Assert.Equal(24 * 64, keptSame);
        Assert.True(repaintedChanged > 24 * 64 / 2, $"only {repaintedChanged} repainted pixels changed");

        await using var db = await server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var job = await db.Jobs.SingleAsync(j => j.OwnerId == userId);
        Assert.Equal((JobSource.Api, JobKind.Inpaint), (job.Source, job.Kind));
    }

    [Fact]
    public async Task The_SDK_edits_without_a_mask_as_img2img_and_makes_variations()
    {
        var (userId, client) = await ClientAsync("sdk-variation");
        var source = TestImages.Bands(96, 64);

        GeneratedImage edited = await client.GenerateImageEditAsync(new MemoryStream(source), "source.png", "a green field",
            new ImageEditOptions { ResponseFormat = GeneratedImageFormat.Bytes });
        GeneratedImageCollection variations = await client.GenerateImageVariationsAsync(new MemoryStream(source), "source.png", 2,
            new ImageVariationOptions { ResponseFormat = GeneratedImageFormat.Bytes });

        using var editImage = Image.Load<Rgb24>(edited.ImageBytes.ToArray());
        Assert.Equal((96, 64), (editImage.Width, editImage.Height)); // size auto: the upload's own size
        Assert.Equal(2, variations.Count);
        foreach (var variation in variations)
        {
            using var decoded = Image.Load<Rgb24>(variation.ImageBytes.ToArray());
            Assert.Equal((96, 64), (decoded.Width, decoded.Height));
        }

        await using var db = await server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContextAsync();
        var kinds = await db.Jobs.Where(j => j.OwnerId == userId).Select(j => j.Kind).ToListAsync();
        Assert.Equal([JobKind.Img2Img, JobKind.Img2Img], kinds);
    }

    [Fact]
    public async Task A_bad_request_reaches_the_SDK_as_a_ClientResultException_with_OpenAIs_status()
    {
        var (_, client) = await ClientAsync("sdk-error");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GenerateImageAsync("x", new ImageGenerationOptions
        {
            Size = new GeneratedImageSize(7, 7),
        }));

        Assert.Equal(400, error.Status);
        Assert.Contains("size", error.Message, StringComparison.Ordinal);
    }
}
