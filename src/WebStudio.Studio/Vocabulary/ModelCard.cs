using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebStudio.Studio.Vocabulary;

/// <summary>
/// What a model folder may say about itself in <c>card.json</c>: the words it knows (a model trained on a small
/// caption grammar, such as the built-in one, knows only those; others tokenize into pieces it never saw) and
/// example prompts for the Generate page. A folder without a card (an SD 1.5 export) declares nothing, and its
/// prompts are not checked.
/// </summary>
public sealed record ModelCard
{
    public const string FileName = "card.json";

    /// <summary>The words the model was trained on, lower case; null: the model does not say (every word passes).</summary>
    [JsonPropertyName("vocabulary")]
    public IReadOnlyList<string>? Vocabulary { get; init; }

    /// <summary>The words the model draws letter by letter; null: it draws none.</summary>
    [JsonPropertyName("spelling")]
    public SpelledWords? Spelling { get; init; }

    [JsonPropertyName("examples")]
    public IReadOnlyList<string> Examples { get; init; } = [];

    /// <summary>The settings the model is best run with; null: the studio's own defaults.</summary>
    [JsonPropertyName("defaults")]
    public ModelGenerationDefaults? Defaults { get; init; }

    private static readonly JsonSerializerOptions Options = new() { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static ModelCard Parse(string json) => JsonSerializer.Deserialize<ModelCard>(json, Options) ?? new ModelCard();

    /// <summary>The card at <paramref name="path"/>; throws <see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>
    /// or <see cref="JsonException"/> when it cannot be read (<see cref="IsUnreadable"/>).</summary>
    public static ModelCard Read(string path) => Parse(File.ReadAllText(path));

    /// <summary>Whether <paramref name="error"/> is one of <see cref="Read"/>'s: the card is then treated as absent, since a
    /// broken card never stops a model from running.</summary>
    public static bool IsUnreadable(Exception error) => error is IOException or UnauthorizedAccessException or JsonException;
}
