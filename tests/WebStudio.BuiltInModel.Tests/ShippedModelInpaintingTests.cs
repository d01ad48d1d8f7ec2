using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Pipelines;
using WebStudio.ShapesWorld;
using WebStudio.ShapesWorld.Evaluation;
using Xunit.Abstractions;

namespace WebStudio.BuiltInModel.Tests;

/// <summary>
/// Inpainting on the shipped model, judged by the model's own evaluator: "a blue square" painted into a masked
/// box of a generated "red circle" scene must appear inside the box (and was not there before), and nothing
/// outside the mask may change.
/// </summary>
[Collection(ShippedModelCollection.Name)]
public sealed class ShippedModelInpaintingTests(ShippedModel shipped, ITestOutputHelper output)
{
    private const int Size = 128;
    private const int BoxSize = 56;
    private static readonly long[] Seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    /// <summary>
    /// How many of the seeds must show the square. "Only masked" (the Edit page's default) draws the square as the
    /// subject of a picture: 9 of 12 on the shipped model at the default padding of 7/32 of the side (11 of 12 at the
    /// former 1/16, which suits a prompt naming only the new object, as this one does; see ShippedModelInpaintDefaultsTests). The whole picture, where latent
    /// blending mostly fills the box with background: 1 of 12 (the model before the last training leg managed 3).
    /// The only-masked floor leaves room for a CPU's rounding; the whole-picture one asks for the one it draws.
    /// </summary>
    public const int RequiredHitsOnlyMasked = 8, RequiredHitsWholePicture = 1;

    [Theory]
    [InlineData(true, RequiredHitsOnlyMasked)]
    [InlineData(false, RequiredHitsWholePicture)]
    public async Task A_blue_square_inpainted_into_a_red_circle_scene_appears_inside_the_mask(bool onlyMasked, int requiredHits)
    {
        var hits = 0;
        foreach (var seed in Seeds)
        {
            using var scene = await RunAsync(new GenerationRequest { Prompt = "a red circle on a white background", Seed = seed });
            var before = ImageAnalysis.Analyze(scene).Objects;
            // As a user would, paint the mask over empty canvas: the corner box the scene's objects cover least.
            var box = EmptiestCorner(before);
            using var mask = BoxMask(box);
            using var edited = await RunAsync(new GenerationRequest
            {
                Prompt = "a blue square on a white background",
                Seed = seed,
                InitImage = scene,
                Mask = mask,
                Strength = 1f,
                InpaintOnlyMasked = onlyMasked,
            });

            AssertUnchangedOutsideMask(scene, edited, mask);
            var after = ImageAnalysis.Analyze(edited).Objects;
            var inBox = after.Where(o => box.Contains((int)o.CentreX, (int)o.CentreY)).ToList();
            var hit = !before.Any(IsBlueSquare) && inBox.Any(IsBlueSquare);
            hits += hit ? 1 : 0;
            output.WriteLine($"seed {seed}: {(hit ? "blue square in the box" : "no blue square in the box")}; " +
                $"before: {Describe(before)}; after: {Describe(after)}");
        }

        output.WriteLine($"{(onlyMasked ? "only masked" : "whole picture")}: {hits} of {Seeds.Length}");
        Assert.True(hits >= requiredHits, $"a blue square appeared inside the mask for {hits} of {Seeds.Length} seeds; expected at least {requiredHits}");
    }

    private static bool IsBlueSquare(DetectedObject o) => o.Shape == ShapeKind.Square && o.Colour == Palette.Blue;

    private static string Describe(IReadOnlyList<DetectedObject> objects) =>
        objects.Count == 0 ? "nothing" : string.Join(", ", objects.Select(o => o.Describe()));

    private async Task<Image<Rgb24>> RunAsync(GenerationRequest request)
    {
        using var result = await shipped.Pipeline.RunAsync(request with { Steps = 20, Guidance = 7f, Width = Size, Height = Size, Scheduler = "DDIM" });
        return result.Images[0].Image.Clone();
    }

    private static Rectangle EmptiestCorner(IReadOnlyList<DetectedObject> objects)
    {
        const int margin = 4, far = Size - BoxSize - margin;
        Rectangle[] corners = [new(margin, margin, BoxSize, BoxSize), new(far, margin, BoxSize, BoxSize), new(margin, far, BoxSize, BoxSize), new(far, far, BoxSize, BoxSize)];
        return corners.MinBy(c => objects.Sum(o => Overlap(c, new Rectangle(o.X, o.Y, o.Width, o.Height))));
    }

    private static int Overlap(Rectangle a, Rectangle b)
    {
        var both = Rectangle.Intersect(a, b);
        return both.Width * both.Height;
    }

    private static Image<L8> BoxMask(Rectangle box)
    {
        var mask = new Image<L8>(Size, Size, new L8(0));
        for (var y = box.Top; y < box.Bottom; y++)
        {
            for (var x = box.Left; x < box.Right; x++)
            {
                mask[x, y] = new L8(255);
            }
        }

        return mask;
    }

    private static void AssertUnchangedOutsideMask(Image<Rgb24> source, Image<Rgb24> edited, Image<L8> mask)
    {
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                if (mask[x, y].PackedValue == 0)
                {
                    Assert.True(source[x, y] == edited[x, y], $"pixel ({x},{y}) outside the mask changed");
                }
            }
        }
    }
}
