using WebStudio.Generation.Pipelines;
using WebStudio.Studio.Jobs;

namespace WebStudio.Studio.Engine;

/// <summary>
/// The sizes a model can make: sides that are multiples of its <see cref="EngineModel.SizeMultiple"/> (for the
/// built-in model 32: its VAE's 8 × its UNet's two halvings) within the core's limits. Every diffusion kind is
/// checked at submission, so a size that the model cannot run is a clear refusal, not a failed job.
/// </summary>
public static class ModelSizes
{
    /// <summary>The problems of <paramref name="run"/>'s size for <paramref name="model"/>; an outpaint's are told
    /// in extensions, the thing its submitter chose.</summary>
    public static IReadOnlyList<FieldProblem> Check(EngineModel model, DiffusionRun run)
    {
        var multiple = model.SizeMultiple;
        if (run.Width % multiple == 0 && run.Height % multiple == 0)
        {
            return [];
        }

        if (run.Spec is JobSpec.Outpaint o)
        {
            var (width, height) = (run.Width - o.Left - o.Right, run.Height - o.Top - o.Bottom);
            return OutpaintProblem(model, width, height, o.Left, o.Top, o.Right, o.Bottom) is { } problem ? [new FieldProblem("outpaint", problem)] : [];
        }

        return new[] { ("width", run.Width), ("height", run.Height) }
            .Where(side => side.Item2 % multiple != 0)
            .Select(side => new FieldProblem(side.Item1, $"{model.Name} makes images whose sides are multiples of {multiple} pixels: "
                + $"a {side.Item1} of {side.Item2} is not one{Nearest(" " + side.Item1, side.Item2, multiple)}"))
            .ToList();
    }

    /// <summary>Why extending a <paramref name="width"/>×<paramref name="height"/> image (as fitted for editing) by
    /// these amounts makes a size that <paramref name="model"/> cannot run, with the extensions that would do; null
    /// when it can. The Edit page says it before submission, the queue refuses it at submission.</summary>
    public static string? OutpaintProblem(EngineModel model, int width, int height, int left, int top, int right, int bottom)
    {
        var multiple = model.SizeMultiple;
        var (outWidth, outHeight) = (width + left + right, height + top + bottom);
        if (outWidth % multiple == 0 && outHeight % multiple == 0)
        {
            return null;
        }

        var sides = new[] { (left, "left"), (top, "top"), (right, "right"), (bottom, "bottom") }
            .Where(s => s.Item1 > 0).Select(s => $"{s.Item1} px {s.Item2}");
        var fixes = new[] { (width, outWidth, "left and right"), (height, outHeight, "top and bottom") }
            .Where(axis => axis.Item2 % multiple != 0)
            .Select(axis => $"extend {axis.Item3} together by {string.Join(", ", OutpaintAmounts(axis.Item1, multiple, 3 * multiple))} pixels");
        return $"{model.Name} makes images whose sides are multiples of {multiple} pixels: extending the {width}×{height} image by "
            + $"{string.Join(", ", sides)} makes it {outWidth}×{outHeight}{Nearest(" width", outWidth, multiple)}{Nearest(" height", outHeight, multiple)}. "
            + $"Instead, {string.Join("; ", fixes)}.";
    }

    /// <summary>The valid sides nearest to <paramref name="side"/> (one below, one above), within the core's limits.</summary>
    public static IReadOnlyList<int> NearestValid(int side, int multiple) =>
        new[] { side / multiple * multiple, (side / multiple + 1) * multiple }
            .Where(s => s is >= GenerationRequest.MinSize and <= GenerationRequest.MaxSize)
            .ToList();

    /// <summary>The outpainting extensions (per side, multiples of 8 as the canvas needs) that keep a
    /// <paramref name="side"/>-pixel side at a multiple of <paramref name="multiple"/> when added to one edge:
    /// all of them up to <paramref name="max"/>.</summary>
    public static IReadOnlyList<int> OutpaintAmounts(int side, int multiple, int max) =>
        Enumerable.Range(1, max / GenerationRequest.SizeMultiple)
            .Select(i => i * GenerationRequest.SizeMultiple)
            .Where(amount => (side + amount) % multiple == 0)
            .ToList();

    private static string Nearest(string what, int side, int multiple) => side % multiple == 0
        ? ""
        : NearestValid(side, multiple) switch
        {
            [] => "",
            [var only] => $"; the nearest valid{what} is {only}",
            var both => $"; the nearest valid{what}s are {both[0]} and {both[1]}",
        };
}
