using System.Text.Json;
using System.Text.Json.Serialization;
using WebStudio.ShapesWorld.Editing;

namespace WebStudio.Trainer.Export;

/// <summary>The edit model's card.json (as webstudio-shapes has one): the words its instructions may use and example
/// instructions for the studio. Like the base card it leaves out the comma, which is no word.</summary>
internal static class EditModelCard
{
    public static IReadOnlyList<string> Examples { get; } =
    [
        "make the circle blue",
        "add a yellow star on the left",
        "remove the square",
        "move the triangle to the top",
        "make the background black",
        "make it three stars",
        "turn the square into a circle",
    ];

    private sealed record Card(
        [property: JsonPropertyName("_comment")] string Comment,
        [property: JsonPropertyName("examples")] IReadOnlyList<string> Examples,
        [property: JsonPropertyName("vocabulary")] IReadOnlyList<string> Vocabulary);

    public static void Write(string folder)
    {
        var card = new Card(
            "The words this model's instructions were trained on (ShapesWorld's caption grammar and the edit verbs, EditInstructions.Vocabulary) " +
            "and example instructions. It edits a picture of the built-in world by instruction (InstructPix2Pix); the studio marks words outside the vocabulary.",
            Examples, EditInstructions.Vocabulary.Where(w => w != ",").ToArray());
        var json = JsonSerializer.Serialize(card, new JsonSerializerOptions { WriteIndented = true, IndentSize = 2, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        File.WriteAllText(Path.Combine(folder, "card.json"), json + "\n");
    }
}
