using System.Text.Json;
using System.Text.Json.Serialization;
using WebStudio.ShapesWorld.Editing;

namespace WebStudio.Trainer.Export;

/// <summary>The edit model's card.json (as webstudio-shapes has one): the words its instructions may use, example
/// instructions for the studio, and the image guidance the studio runs it at unless asked otherwise. Like the base
/// card it leaves out the comma, which is no word.</summary>
internal static class EditModelCard
{
    /// <summary>The image guidance in the card's defaults. The built-in edit model redraws too much of its input at
    /// InstructPix2Pix's 1.5; with the automatic mask on the tuning suite (edit-tune-v1), 6 made the most of the asked
    /// changes (one case more than 4.5, far more than 7.5), with no kind below 0.83, and kept as much as both (its
    /// README's figures).</summary>
    public const float ImageGuidance = 6f;

    /// <summary>The automatic mask in the card's defaults: the studio's edits on this model keep what the instruction does
    /// not touch (its README's figures, with and without).</summary>
    public const float AutoMask = WebStudio.Generation.Pipelines.InstructionEdit.DefaultAutoMaskThreshold;

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
        [property: JsonPropertyName("vocabulary")] IReadOnlyList<string> Vocabulary,
        [property: JsonPropertyName("defaults")] Defaults Defaults);

    private sealed record Defaults([property: JsonPropertyName("imageGuidance")] float ImageGuidance, [property: JsonPropertyName("autoMask")] float AutoMask);

    public static void Write(string folder)
    {
        var card = new Card(
            "The words this model's instructions were trained on (ShapesWorld's caption grammar and the edit verbs, EditInstructions.Vocabulary) " +
            "and example instructions. It edits a picture of the built-in world by instruction (InstructPix2Pix); the studio marks words outside the vocabulary.",
            Examples, EditInstructions.Vocabulary.Where(w => w != ",").ToArray(), new Defaults(ImageGuidance, AutoMask));
        var json = JsonSerializer.Serialize(card, new JsonSerializerOptions { WriteIndented = true, IndentSize = 2, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        File.WriteAllText(Path.Combine(folder, "card.json"), json + "\n");
    }
}
