namespace WebStudio.Data;

/// <summary>
/// A saved prompt style, as A1111's Styles: a prompt and a negative prompt a user applies to the Generate form again
/// and again ("{prompt}" in it marks where the form's prompt goes). One user's; names are unique per user.
/// </summary>
public sealed class PromptStyle
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string OwnerId { get; set; } = "";

    public string Name { get; set; } = "";

    public string Prompt { get; set; } = "";

    public string NegativePrompt { get; set; } = "";

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}
