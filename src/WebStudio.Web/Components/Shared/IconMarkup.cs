using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;

namespace WebStudio.Web.Components.Shared;

/// <summary>
/// A MudBlazor icon written as MudIcon renders it, as markup. A MudIcon (and the MudButton's StartIcon or the
/// MudIconButton around it) is a component kept in every circuit for the life of the page; on the pages every user
/// keeps open, the icons alone were a fifth of the components (memory per circuit, issue 20).
/// </summary>
public static class IconMarkup
{
    /// <summary>MudIconButton's classes: the default colour.</summary>
    public const string Button = "mud-button-root mud-icon-button mud-ripple mud-ripple-icon";

    /// <summary>MudIconButton's classes at Size.Small.</summary>
    public const string SmallButton = Button + " mud-icon-button-size-small";

    /// <summary>MudIconButton's classes with Color.Inherit (in the top bar).</summary>
    public const string InheritButton = "mud-button-root mud-icon-button mud-inherit-text hover:mud-inherit-hover mud-ripple mud-ripple-icon";

    /// <param name="icon">MudBlazor's SVG content, e.g. <c>Icons.Material.Filled.Casino</c>.</param>
    /// <param name="size">MudBlazor's size name: small, medium or large.</param>
    public static MarkupString Svg(string icon, string size = "medium") =>
        new(Written.GetOrAdd((icon, size), key =>
            $"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-{key.Size}\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\">{key.Icon}</svg>"));

    // Each icon's markup is written once and shared: render trees (two per component, in every circuit) then hold
    // one string per icon, not one per button and render. The keys are the studio's icon constants, a few dozen.
    private static readonly ConcurrentDictionary<(string Icon, string Size), string> Written = new();
}
