namespace WebStudio.Studio.Styles;

/// <summary>
/// How a style's text joins the form's, as A1111 merges a style into a prompt: where the style has
/// <see cref="Placeholder"/>, the form's text goes there; otherwise the style's text follows it after a comma.
/// Unlike A1111's, a prompt that already carries the style is left as it is, so that applying twice (or applying a
/// style whose text was saved with the prompt) does not write it twice.
/// </summary>
public static class StylePrompts
{
    public const string Placeholder = "{prompt}";

    public static string Merge(string style, string prompt)
    {
        style = style.Trim();
        prompt = prompt.Trim();
        if (style.Length == 0 || Carries(prompt, style))
        {
            return prompt;
        }

        if (style.Contains(Placeholder, StringComparison.Ordinal))
        {
            return style.Replace(Placeholder, prompt, StringComparison.Ordinal).Trim();
        }

        return prompt.Length == 0 ? style : $"{prompt}, {style}";
    }

    // The style's text around one placeholder is already at the prompt's ends; or, without one, the prompt ends with it.
    private static bool Carries(string prompt, string style)
    {
        var at = style.IndexOf(Placeholder, StringComparison.Ordinal);
        if (at < 0)
        {
            return prompt == style || prompt.EndsWith(", " + style, StringComparison.Ordinal);
        }

        var (before, after) = (style[..at], style[(at + Placeholder.Length)..]);
        return !after.Contains(Placeholder, StringComparison.Ordinal) && before.Length + after.Length > 0
            && prompt.Length >= before.Length + after.Length
            && prompt.StartsWith(before, StringComparison.Ordinal) && prompt.EndsWith(after, StringComparison.Ordinal);
    }
}
