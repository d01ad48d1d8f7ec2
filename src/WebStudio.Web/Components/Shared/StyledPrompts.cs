namespace WebStudio.Web.Components.Shared;

/// <summary>A form's two prompts, as a prompt style leaves them (<see cref="PromptStylePicker"/>).</summary>
public sealed record StyledPrompts(string Prompt, string NegativePrompt);
