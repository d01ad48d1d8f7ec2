namespace WebStudio.Studio.Styles;

/// <summary>One of a user's saved prompt styles.</summary>
public sealed record PromptStyleView(Guid Id, string Name, string Prompt, string NegativePrompt, DateTime UpdatedAt);
