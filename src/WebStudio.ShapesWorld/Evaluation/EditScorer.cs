using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.ShapesWorld.Editing;

namespace WebStudio.ShapesWorld.Evaluation;

/// <summary>An edit's two scores: the change asked for was made, and nothing else changed.</summary>
public sealed record EditOutcome(bool Success, bool Preserved, string Reason);

/// <summary>
/// Scores an edited image against its <see cref="EditTriple"/> with the evaluator's detection (<see cref="ImageAnalysis"/>).
/// <b>Success</b>: the requested change is found: the target at its place in the new colour or shape, gone, or at
/// the asked placement (and no longer where it was); a new object of the asked shape, colour (and size, if said)
/// at the asked placement or in the asked relation to its reference; the new background; exactly the asked number
/// of the counted shape, all in the group's colour.
/// <b>Preservation</b>: every input object the edit does not change is found with the same shape, colour and size
/// class, its centre within <see cref="PlaceTolerance"/> of where it was, and the background is the input's
/// unless the edit asks for another.
/// </summary>
public static class EditScorer
{
    /// <summary>How far (px, on each axis) a detected centre may sit from the object's place: the evaluator's relation margin.</summary>
    public const double PlaceTolerance = Evaluator.RelationMargin;

    public static EditOutcome Score(EditTriple edit, Image<Rgb24> output)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(output);
        var analysis = ImageAnalysis.Analyze(output);
        var success = Change(edit, analysis);
        var lost = edit.Untouched.Where(o => !analysis.Objects.Any(d => Same(d, o))).Select(Describe).ToList();
        if (edit.Kind != EditKind.Background && analysis.Background != edit.Input.Background)
            lost.Add($"the {edit.Input.Background.Name} background (now {analysis.Background?.Name ?? "unrecognised"})");
        var preserved = lost.Count == 0;
        var seen = analysis.Objects.Count == 0 ? "nothing" : string.Join(", ", analysis.Objects.Select(o => o.Describe()));
        var reason = $"{(success is null ? "change found" : success)}; {(preserved ? "rest kept" : "lost " + string.Join(", ", lost))}; saw {seen}";
        return new EditOutcome(success is null, preserved, reason);
    }

    /// <summary>Null when the requested change is in the image, else what is missing.</summary>
    private static string? Change(EditTriple edit, ImageAnalysis analysis)
    {
        var request = edit.Request;
        var seen = analysis.Objects;
        var target = request.Target is { } id ? edit.Input.Objects.Single(o => o.Group == id) : null;
        switch (request.Kind)
        {
            case EditKind.Recolour:
                return seen.Any(d => d.Shape == target!.Shape && d.Colour == request.Colour && Near(d, target)) && !StillThere(seen, target!)
                    ? null : $"no {request.Colour!.Name} {Word(target!.Shape)} where the {Describe(target)} was";
            case EditKind.Replace:
                return seen.Any(d => d.Shape == request.Shape && d.Colour == target!.Colour && Near(d, target)) && !StillThere(seen, target!)
                    ? null : $"no {target!.Colour.Name} {Word(request.Shape!.Value)} where the {Describe(target)} was";
            case EditKind.Remove:
                return seen.Any(d => Near(d, target!)) ? $"something is still where the {Describe(target!)} was" : null;
            case EditKind.Move:
                return seen.Any(d => d.Shape == target!.Shape && d.Colour == target.Colour && d.Placement == request.Placement && !Near(d, target))
                       && !StillThere(seen, target!)
                    ? null : $"the {Describe(target!)} is not moved {request.Placement}";
            case EditKind.Background:
                return analysis.Background == request.Background ? null : $"background is {analysis.Background?.Name ?? "unrecognised"}, not {request.Background!.Name}";
            case EditKind.Count:
            {
                var colour = edit.Input.Objects.First(o => o.Shape == request.Shape).Colour;
                var counted = seen.Where(d => d.Shape == request.Shape).ToList();
                return counted.Count == request.Count && counted.All(d => d.Colour == colour)
                    ? null : $"expected exactly {request.Count} {colour.Name} {Word(request.Shape!.Value)}, found {counted.Count}";
            }
            case EditKind.Add:
                return Added(edit, seen) ? null : $"no new {request.Colour!.Name} {Word(request.Shape!.Value)} {(object?)request.Placement ?? request.Relation}";
            default:
                throw new ArgumentOutOfRangeException(nameof(edit), request.Kind, "unknown edit kind");
        }
    }

    /// <summary>An object of the asked shape and colour (and size) that was not in the input, placed as asked.</summary>
    private static bool Added(EditTriple edit, IReadOnlyList<DetectedObject> seen)
    {
        var request = edit.Request;
        var added = seen.Where(d => d.Shape == request.Shape && d.Colour == request.Colour && (request.Size is null || d.Size == request.Size)
            && !edit.Input.Objects.Any(o => o.Shape == d.Shape && o.Colour == d.Colour && Near(d, o)));
        if (request.Relation is not { } relation) return added.Any(d => d.Placement == request.Placement);
        var reference = edit.Input.Objects.Single(o => o.Group == request.Reference);
        var references = seen.Where(d => Same(d, reference)).ToList();
        return added.Any(d => references.Any(r => Evaluator.Holds(relation, d, r)));
    }

    private static bool StillThere(IReadOnlyList<DetectedObject> seen, PlacedObject o) =>
        seen.Any(d => d.Shape == o.Shape && d.Colour == o.Colour && Near(d, o));

    /// <summary>The same object: shape, colour, size class and place.</summary>
    private static bool Same(DetectedObject d, PlacedObject o) =>
        d.Shape == o.Shape && d.Colour == o.Colour && d.Size == SizeOf(o) && Near(d, o);

    private static bool Near(DetectedObject d, PlacedObject o) =>
        Math.Abs(d.CentreX - o.Box.CentreX) <= PlaceTolerance && Math.Abs(d.CentreY - o.Box.CentreY) <= PlaceTolerance;

    private static SizeClass SizeOf(PlacedObject o) =>
        Math.Max(o.Box.Width, o.Box.Height) >= DetectedObject.LargeThreshold ? SizeClass.Large : SizeClass.Small;

    private static string Word(ShapeKind shape) => shape.ToString().ToLowerInvariant();

    private static string Describe(PlacedObject o) => $"{o.Colour.Name} {Word(o.Shape)} at {o.Box.CentreX:F0},{o.Box.CentreY:F0}";
}
