namespace WebStudio.Studio.Styles;

/// <summary>
/// How a style's text joins the form's, as A1111 merges a style into a prompt: where the style has
/// <see cref="Placeholder"/>, the form's text goes there; otherwise the style's text follows it after a comma.
/// </summary>
public static class StylePrompts
{
    public const string Placeholder = "{prompt}";

    public static string Merge(string style, string prompt)
    {
        style = style.Trim();
        prompt = prompt.Trim();
        if (style.Contains(Placeholder, StringComparison.Ordinal))
        {
            return style.Replace(Placeholder, prompt, StringComparison.Ordinal);
        }

        return style.Length == 0 ? prompt : prompt.Length == 0 ? style : $"{prompt}, {style}";
    }
}
