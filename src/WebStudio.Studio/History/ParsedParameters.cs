namespace WebStudio.Studio.History;

/// <summary>Generation settings read from an A1111 "parameters" text; a setting the text lacks is null.</summary>
public sealed record ParsedParameters(
    string Prompt,
    string NegativePrompt,
    int? Steps,
    string? Sampler,
    float? CfgScale,
    long? Seed,
    int? Width,
    int? Height,
    string? Model,
    IReadOnlyDictionary<string, string> Extra);
