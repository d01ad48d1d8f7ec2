using System.Text.Json.Serialization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.Studio.Engine;

/// <summary>The user-chosen parameters of a txt2img job, as the Generate page, the HTTP API and the queue share them.</summary>
public sealed record JobParameters
{
    public string Prompt { get; init; } = "";
    public string NegativePrompt { get; init; } = "";
    public string Model { get; init; } = "";
    public string Scheduler { get; init; } = "Euler a";
    public int Steps { get; init; } = 20;
    public float Guidance { get; init; } = 7f;
    public long Seed { get; init; }
    public int Width { get; init; } = 128;
    public int Height { get; init; } = 128;
    public int BatchSize { get; init; } = 1;

    /// <summary>img2img/inpainting source (API edits and variations), kept by JobInputStore; never part of a JSON form.</summary>
    [JsonIgnore] public Image<Rgb24>? InitImage { get; init; }

    /// <summary>Inpainting mask, the size of <see cref="InitImage"/>: 255 is repainted.</summary>
    [JsonIgnore] public Image<L8>? Mask { get; init; }

    [JsonIgnore] public float Strength { get; init; } = 0.75f;

    /// <summary>Edit jobs of the Edit page (Editing/): what they do; upscales bypass the engine. Never from JSON.</summary>
    [JsonIgnore] public WebStudio.Data.EditParameters? Edit { get; init; }
}
