namespace WebStudio.Web.Engine;

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
}
