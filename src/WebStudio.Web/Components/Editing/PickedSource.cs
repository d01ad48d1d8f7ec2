using WebStudio.Studio.Editing;

namespace WebStudio.Web.Components.Editing;

/// <summary>A picture picked to edit, with its size.</summary>
public sealed record PickedSource(EditSource Source, int Width, int Height);
