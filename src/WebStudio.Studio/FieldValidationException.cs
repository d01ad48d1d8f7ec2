namespace WebStudio.Studio;

/// <summary>A rejected field of what a user saves (a gallery, a share link, a prompt style): which field, and why, in
/// words for the user. The pages show the message; the endpoints answer 400 naming the field.</summary>
public sealed class FieldValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
