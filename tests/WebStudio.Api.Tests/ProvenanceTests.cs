using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MetadataExtractor;
using MetadataExtractor.Formats.Png;
using MetadataExtractor.Formats.Xmp;
using WebStudio.Studio.Storage;

namespace WebStudio.Api.Tests;

/// <summary>
/// Every image the studio hands out says it was made by a trained model (IPTC digital source type
/// trainedAlgorithmicMedia in XMP), read back by MetadataExtractor, a reader other than ImageSharp (the writer):
/// the stored PNG as downloaded, each of the API's formats, and share pages, with or without their prompts.
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed class ProvenanceTests(StudioHost server) : IClassFixture<StudioHost>
{
    [Fact]
    public async Task A_downloaded_image_carries_its_provenance_beside_its_A1111_parameters()
    {
        var user = await StudioLogin.RegisterAsync(server, "provenance-download");
        var imageId = await GenerateAsync(user.Http);

        var png = await user.Http.GetByteArrayAsync($"/api/images/{imageId}?download=true");

        var directories = ImageMetadataReader.ReadMetadata(new MemoryStream(png));
        Assert.Equal(Provenance.DigitalSourceType, DigitalSourceType(directories));
        var text = directories.OfType<PngDirectory>().SelectMany(d => d.Tags).Select(t => t.Description ?? "");
        Assert.Contains(text, t => t.Contains("parameters", StringComparison.Ordinal) && t.Contains("Seed: 5", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    [InlineData("webp")]
    public async Task Every_output_format_of_the_API_carries_the_provenance(string format)
    {
        var (_, key) = await server.CreateUserWithKeyAsync($"provenance-{format}");
        using var api = server.Client(key);

        using var response = await api.PostAsJsonAsync("/v1/images/generations", new
        {
            prompt = "a yellow ring", model = StudioHost.Model, size = "64x64", quality = "low", output_format = format, output_compression = 90,
        });

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var bytes = Convert.FromBase64String(JsonDocument.Parse(text).RootElement.GetProperty("data")[0].GetProperty("b64_json").GetString()!);
        Assert.Equal(Provenance.DigitalSourceType, DigitalSourceType(ImageMetadataReader.ReadMetadata(new MemoryStream(bytes))));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_share_page_image_carries_the_provenance_even_with_its_prompt_hidden(bool hidePrompts)
    {
        var user = await StudioLogin.RegisterAsync(server, $"provenance-share-{hidePrompts}");
        var imageId = await GenerateAsync(user.Http);
        using var created = await user.Http.PostAsJsonAsync($"/api/images/{imageId}/shares", new { label = "look", hidePrompts });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var url = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
        using var anonymous = server.Client(null);

        var png = await anonymous.GetByteArrayAsync($"{new Uri(url).AbsolutePath}/images/{imageId}");

        var directories = ImageMetadataReader.ReadMetadata(new MemoryStream(png));
        Assert.Equal(Provenance.DigitalSourceType, DigitalSourceType(directories));
        var chunks = directories.OfType<PngDirectory>().SelectMany(d => d.Tags).Select(t => t.Description ?? "").ToList();
        Assert.Equal(!hidePrompts, chunks.Any(t => t.Contains("a green star", StringComparison.Ordinal)));
    }

    /// <summary>The XMP property Iptc4xmpExt:DigitalSourceType, looked up by its namespace (not by a prefix).</summary>
    private static string? DigitalSourceType(IEnumerable<MetadataExtractor.Directory> directories)
    {
        var xmp = directories.OfType<XmpDirectory>().FirstOrDefault(d => d.XmpMeta is not null);
        Assert.True(xmp is not null, "no XMP packet was found: " + string.Join(", ", directories.Select(d => d.Name)));
        return xmp.XmpMeta!.GetPropertyString(Provenance.IptcExtensionNamespace, "DigitalSourceType");
    }

    private static async Task<Guid> GenerateAsync(HttpClient http)
    {
        using var submitted = await http.PostAsJsonAsync("/api/jobs", new
        {
            prompt = "a green star", negativePrompt = "", model = StudioHost.Model, scheduler = "Euler a", steps = 3, guidance = 7, seed = 5,
            width = 64, height = 64, batchSize = 1,
        });
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var job = await http.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");
            var status = job.GetProperty("status").GetString();
            if (status is not ("Queued" or "Running") || DateTime.UtcNow > deadline)
            {
                Assert.True(status == "Succeeded", $"job {id} ended {status}: {job}");
                return job.GetProperty("images")[0].GetProperty("id").GetGuid();
            }

            await Task.Delay(50);
        }
    }
}
