using MudBlazor;

namespace WebStudio.Web.Components.Layout;

/// <summary>
/// MudBlazor's palette with the status colours darkened in light mode until white text on them, and they as text on
/// white, reach WCAG AA's 4.5:1 (MudBlazor's own orange, green and red give 2.2, 2.2 and 3.7: the Administrator badge,
/// a job's Done chip, the Delete buttons). Dark mode lightens them instead, with dark text on the filled ones, and its
/// primary and secondary text.
/// </summary>
public static class StudioTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Warning = "#b45309",
            Success = "#2e7d32",
            Error = "#d32f2f",
            Info = "#0277bd",
        },
        PaletteDark = new PaletteDark
        {
            // MudBlazor's dark primary (#776be7) reads at 3:1 as a link and 4.2:1 under white text; its secondary text
            // (white at 50%) at 4.3:1 on the surfaces.
            Primary = "#a59bf2",
            PrimaryContrastText = "rgba(0,0,0,0.87)",
            TextSecondary = "rgba(255,255,255,0.6)",
            // Its own status colours read at 3.3–4.2:1 as text on their alerts' tint and as the Delete buttons' text.
            Error = "#ffa39b",
            Success = "#66d9a8",
            Info = "#90caf9",
            WarningContrastText = "rgba(0,0,0,0.87)",
            SuccessContrastText = "rgba(0,0,0,0.87)",
            ErrorContrastText = "rgba(0,0,0,0.87)",
            InfoContrastText = "rgba(0,0,0,0.87)",
        },
    };
}
