using System.Text.RegularExpressions;

namespace WebStudio.Web.Tests.Components;

/// <summary>
/// Issue 20, defect 8: an icon alone says nothing to a screen reader or a new user, so every icon button (and icon
/// menu) of the studio's pages has an accessible name (aria-label) and sits in a tooltip. Read from the sources, so a
/// button added later without them fails here.
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed partial class IconButtonLabelsTests
{
    private static IEnumerable<(string File, int Line, string Tag, string Before)> IconButtons()
    {
        var web = Path.Combine(RepositoryFolders.Root, "src", "WebStudio.Web");
        foreach (var file in Directory.EnumerateFiles(web, "*.razor", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            foreach (Match match in IconButton().Matches(text))
            {
                var line = text[..match.Index].Count(c => c == '\n') + 1;
                var before = text[..match.Index].TrimEnd();
                yield return (Path.GetRelativePath(web, file), line, match.Value, before[Math.Max(0, before.LastIndexOf('\n'))..]);
            }
        }
    }

    [Fact]
    public void Every_icon_button_has_an_accessible_name()
    {
        var buttons = IconButtons().ToList();

        Assert.True(buttons.Count >= 20, $"only {buttons.Count} icon buttons were found: did the pages move?");
        // A MudMenu names its button through its AriaLabel parameter.
        Assert.All(buttons, b => Assert.True(
            b.Tag.Contains("aria-label=", StringComparison.Ordinal) || (b.Tag.StartsWith("<MudMenu", StringComparison.Ordinal) && b.Tag.Contains("AriaLabel=", StringComparison.Ordinal)),
            $"{b.File}:{b.Line} has no aria-label"));
    }

    [Fact]
    public void Every_icon_button_sits_in_a_tooltip()
    {
        Assert.All(IconButtons(), b => Assert.True(
            b.Before.Contains("<Tip ", StringComparison.Ordinal),
            $"{b.File}:{b.Line}: the line before the icon button opens no Tip ({b.Before.Trim()})"));
    }

    // A MudIconButton, a MudMenu shown as an icon, or an icon button written as markup (a button or link with
    // IconMarkup's classes), up to the end of its opening tag.
    [GeneratedRegex(@"<(MudIconButton|MudMenu\s+Icon=|(?:button|a)\s[^>]*IconMarkup\.\w*Button)(?:=>|[^>])*>", RegexOptions.Singleline)]
    private static partial Regex IconButton();
}
