namespace WebStudio.Studio.Styles;

/// <summary>One of a user's saved prompt styles.</summary>
public sealed record PromptStyleView(Guid Id, string Name, string Prompt, string NegativePrompt, DateTime UpdatedAt);

/// <summary>A rejected style field: which one, and why, in words for the user.</summary>
public sealed class PromptStyleValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
