using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.ShapesWorld.Rendering;

namespace WebStudio.ShapesWorld.Editing;

/// <summary>
/// One training or evaluation edit: the input scene, the instruction, and the exact edited scene.
/// <see cref="PlacedObject.Group"/> is an object's identity across the edit: input object i has Group i in both
/// layouts (unless removed), and added objects get Groups after the input's. <see cref="Edited"/> lists the input
/// objects the edit changes or removes; every other input object is in <see cref="Output"/> unchanged.
/// </summary>
public sealed record EditTriple(
    EditKind Kind,
    SceneLayout Input,
    string Instruction,
    SceneLayout Output,
    EditRequest Request,
    IReadOnlyList<int> Edited,
    long Seed,
    long Index)
{
    public Image<Rgb24> RenderInput() => SceneRenderer.Render(Input);

    /// <summary>The exact edited picture: a perfect edit.</summary>
    public Image<Rgb24> RenderOutput() => SceneRenderer.Render(Output);

    /// <summary>Input objects the instruction leaves as they are (they must be preserved).</summary>
    public IEnumerable<PlacedObject> Untouched => Input.Objects.Where(o => !Edited.Contains(o.Group));
}
