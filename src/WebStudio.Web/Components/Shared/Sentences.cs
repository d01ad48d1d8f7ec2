namespace WebStudio.Web.Components.Shared;

/// <summary>The core's messages are lower-case clauses ("the style needs a name"), so that an API can embed them; the
/// pages show them as sentences.</summary>
public static class Sentences
{
    public static string Of(string message) => message.Length == 0 ? message : char.ToUpperInvariant(message[0]) + message[1..] + ".";
}
