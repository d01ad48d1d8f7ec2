using System.Net;
using System.Net.Http.Json;
using WebStudio.Studio.Vocabulary;

namespace WebStudio.Api.Tests;

/// <summary>
/// The API tells a client which prompt words the model's card says it does not know, in X-WebStudio-Warnings
/// (OpenAI's answer has no field for it, and clients ignore headers they do not know); the image is still made.
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed class ApiVocabularyWarningsTests(StudioHost server) : IClassFixture<StudioHost>
{
    [Fact]
    public async Task Unknown_words_come_back_in_the_warnings_header_and_known_ones_do_not()
    {
        DeclareVocabulary("a", "red", "circle", "star");
        var (_, key) = await server.CreateUserWithKeyAsync("vocabulary-header");
        using var api = server.Client(key);

        using var unknown = await GenerateAsync(api, "a red heart and a (crimson:1.2) cat, a heart");
        using var known = await GenerateAsync(api, "a (red:1.2) circle");

        Assert.Equal($"unknown words for model '{StudioHost.Model}': heart, and, crimson, cat", unknown.Headers.GetValues("X-WebStudio-Warnings").Single());
        Assert.False(known.Headers.Contains("X-WebStudio-Warnings"));
    }

    [Fact]
    public async Task A_word_a_header_cannot_hold_is_percent_encoded()
    {
        DeclareVocabulary("a", "red", "circle", "star");
        var (_, key) = await server.CreateUserWithKeyAsync("vocabulary-unicode");
        using var api = server.Client(key);

        using var response = await GenerateAsync(api, "a red cœur");

        Assert.Equal($"unknown words for model '{StudioHost.Model}': c%C5%93ur", response.Headers.GetValues("X-WebStudio-Warnings").Single());
    }

    private void DeclareVocabulary(params string[] words)
    {
        var path = Path.Combine(server.ModelsPath, StudioHost.Model, ModelCard.FileName);
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new { vocabulary = words, examples = new[] { "a red star" } }));
    }

    private static async Task<HttpResponseMessage> GenerateAsync(HttpClient api, string prompt)
    {
        var response = await api.PostAsJsonAsync("/v1/images/generations", new { prompt, model = StudioHost.Model, size = "64x64", quality = "low" });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return response;
    }
}
