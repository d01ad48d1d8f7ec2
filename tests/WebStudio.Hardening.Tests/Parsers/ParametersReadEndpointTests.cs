using System.Diagnostics;
using System.Net;
using System.Text.Json;
using WebStudio.Web.History;
using WebStudio.Studio.History;

namespace WebStudio.Hardening.Tests.Parsers;

/// <summary>Issue 16, finding 1: POST /api/parameters/read took hours of CPU on a long or inflating text chunk.</summary>
[Trait("Capability", "Hardening")]
public sealed class ParametersReadEndpointTests(StudioHost server) : IClassFixture<StudioHost>
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task The_probes_200_000_letters_without_a_colon_are_answered_at_once_naming_the_limit()
    {
        var (status, body, elapsed) = await PostAsync(PngTextChunks.WithText(new string('A', 200_000)), "probe");

        Assert.True(elapsed < Prompt, $"answered in {elapsed}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("probe.png: the \"parameters\" text chunk is larger than 64 KB, the most that is read (inflated size included)", Detail(body));
    }

    [Fact]
    public async Task A_5_MB_text_chunk_is_refused_at_once_naming_the_limit()
    {
        var (status, body, elapsed) = await PostAsync(PngTextChunks.WithText(new string('A', 5 * 1024 * 1024)), "big");

        Assert.True(elapsed < Prompt, $"answered in {elapsed}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("larger than 64 KB", Detail(body));
    }

    [Fact]
    public async Task A_compressed_chunk_that_inflates_to_200_MB_is_refused_at_once_naming_the_limit()
    {
        var bomb = PngTextChunks.CompressedTextOf200MB;
        Assert.InRange(bomb.Length, 1, 300 * 1024);

        var (status, body, elapsed) = await PostAsync(bomb, "bomb");

        Assert.True(elapsed < Prompt, $"answered in {elapsed}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("larger than 64 KB", Detail(body));
    }

    [Fact]
    public async Task A_text_at_the_limit_without_a_colon_is_parsed_at_once()
    {
        var text = new string('A', PngParametersReader.MaxTextBytes - 100) + "\nSteps: 3, Sampler: Euler, CFG scale: 5, Seed: 9, Size: 8x8";
        var (status, body, elapsed) = await PostAsync(PngTextChunks.WithText(text), "long");

        Assert.True(elapsed < Prompt, $"answered in {elapsed}");
        Assert.Equal(HttpStatusCode.OK, status);
        var read = JsonSerializer.Deserialize<ParametersReadResult>(body, JsonSerializerOptions.Web)!;
        Assert.Equal((PngParametersReader.MaxTextBytes - 100, 3, 9L), (read.Parameters.Prompt.Length, read.Parameters.Steps, read.Parameters.Seed));
    }

    [Fact]
    public async Task A_malformed_or_missing_form_is_a_4xx_that_names_the_field()
    {
        var user = await StudioLogin.RegisterAsync(server, $"form-{Guid.NewGuid():N}");
        using var malformed = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(MultipartReaderHardeningTests.MalformedPart));
        malformed.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        using var text = new StringContent("not a form");

        using var refused = await user.Http.PostAsync("/api/parameters/read", malformed);
        using var unsupported = await user.Http.PostAsync("/api/parameters/read", text);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("file: the multipart body could not be read (truncated or malformed)", Detail(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
        Assert.StartsWith("file: ", Detail(await unsupported.Content.ReadAsStringAsync()));
    }

    private static string? Detail(string problem) => JsonDocument.Parse(problem).RootElement.GetProperty("detail").GetString();

    private async Task<(HttpStatusCode Status, string Body, TimeSpan Elapsed)> PostAsync(byte[] png, string name)
    {
        var user = await StudioLogin.RegisterAsync(server, $"{name}-{Guid.NewGuid():N}");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(png), "file", $"{name}.png" } };
        var clock = Stopwatch.StartNew();
        using var response = await user.Http.PostAsync("/api/parameters/read", form);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body, clock.Elapsed);
    }
}
