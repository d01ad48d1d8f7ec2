using System.Text.Json.Serialization;

namespace WebStudio.Studio.Vocabulary;

/// <summary>
/// A card's word for the words its model draws letter by letter ("the word cat in red"): such a word is spelled, not
/// known, so the prompt box does not mark it. It is spelled after <see cref="Keyword"/>, or on its own before "in"
/// ("open in yellow"), when it has <see cref="MinLetters"/> to <see cref="MaxLetters"/> letters.
/// </summary>
public sealed record SpelledWords(
    [property: JsonPropertyName("keyword")] string Keyword,
    [property: JsonPropertyName("minLetters")] int MinLetters,
    [property: JsonPropertyName("maxLetters")] int MaxLetters)
{
    public bool Fits(string word) => word.Length >= MinLetters && word.Length <= MaxLetters && word.All(char.IsAsciiLetter);
}
