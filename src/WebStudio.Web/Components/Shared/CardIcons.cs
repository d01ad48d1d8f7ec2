using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace WebStudio.Web.Components.Shared;

/// <summary>
/// The icons on every card of a long list, drawn once per page by <see cref="CardIconSprite"/>: each button's
/// <c>&lt;svg&gt;</c> then holds a <c>&lt;use&gt;</c> of a symbol instead of the icon's whole path. MudIcon writes its
/// Icon string inside its own <c>&lt;svg&gt;</c>, so a <c>&lt;use&gt;</c> element is a valid icon for MudIconButton, MudMenu and
/// <see cref="IconMarkup"/>. History's 24 cards carried about 80 KB of repeated SVG paths in the page's HTML (issue 20, History).
/// </summary>
public static class CardIcons
{
    public static readonly string Download = Use("download");
    public static readonly string Edit = Use("edit");
    public static readonly string Refine = Use("refine");
    public static readonly string RerunSameSeed = Use("rerun");
    public static readonly string RerunNewSeed = Use("new-seed");
    public static readonly string SendToGenerate = Use("send-to-generate");
    public static readonly string AddToGallery = Use("add-to-gallery");
    public static readonly string Share = Use("share");
    public static readonly string Delete = Use("delete");

    /// <summary>A small icon (MudIcon's Size.Small) that uses one of the symbols above.</summary>
    public static MarkupString Small(string use) => IconMarkup.Svg(use, "small");

    /// <summary>Each symbol's id and MudBlazor's path for it, written once by the sprite.</summary>
    internal static readonly IReadOnlyList<(string Id, string Paths)> Symbols =
    [
        (Id("download"), Icons.Material.Filled.Download),
        (Id("edit"), Icons.Material.Filled.AutoFixHigh),
        (Id("refine"), Icons.Material.Filled.Forum),
        (Id("rerun"), Icons.Material.Filled.Replay),
        (Id("new-seed"), Icons.Material.Filled.Casino),
        (Id("send-to-generate"), Icons.Material.Filled.Brush),
        (Id("add-to-gallery"), Icons.Material.Filled.CollectionsBookmark),
        (Id("share"), Icons.Material.Filled.Share),
        (Id("delete"), Icons.Material.Filled.Delete),
    ];

    private static string Id(string name) => "card-icon-" + name;

    private static string Use(string name) => $"<use href=\"#{Id(name)}\"/>";
}
