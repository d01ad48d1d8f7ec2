using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using WebStudio.Generation.Randomness;
using WebStudio.ShapesWorld;
using WebStudio.ShapesWorld.Evaluation;

namespace WebStudio.ShapesWorld.Tests;

public class EvaluatorTests
{
    private static readonly EvalSuite Suite = EvalSuite.Default;

    // Rendered once for all tests; tests that alter an image work on a clone.
    private static readonly Lazy<Image<Rgb24>[]> GroundTruth = new(() => Suite.Prompts.Select(p => p.RenderGroundTruth()).ToArray());

    private static Image<Rgb24> Truth(EvalPrompt prompt) => GroundTruth.Value[IndexOf(prompt)].Clone();

    [Fact]
    public void Ground_truth_renders_of_the_default_suite_pass()
    {
        var report = Suite.Evaluate(Truth);
        var failures = string.Join("\n", report.Results.Where(r => !r.Outcome.Correct).Select(r => $"{r.Prompt.Id} '{r.Prompt.Prompt}': {r.Outcome.Reason}"));
        Assert.True(report.Overall >= 0.97, report.ToTable() + failures);
        Assert.Equal(7, report.PerCategory.Count);
    }

    [Fact]
    public void Images_shuffled_against_their_prompts_score_low()
    {
        var prompts = Suite.Prompts;
        var report = Suite.Evaluate(p => Truth(prompts[(IndexOf(p) * 37 + 11) % prompts.Count]));
        Assert.True(report.Overall <= 0.3, report.ToTable());
    }

    [Fact]
    public void Shuffled_images_score_low_even_when_the_background_is_right_or_unasked()
    {
        // Drop the background requirement so only objects, counts, relations and glyphs decide.
        var prompts = Suite.Prompts;
        var report = new EvaluationReport();
        foreach (var prompt in prompts)
        {
            using var image = Truth(prompts[(IndexOf(prompt) * 37 + 11) % prompts.Count]);
            report.Add(prompt, Evaluator.Score(prompt.Spec with { Background = null }, image));
        }
        Assert.True(report.Overall <= 0.3, report.ToTable());
    }

    [Fact]
    public void Blank_images_score_zero()
    {
        var report = EvalSuite.Small(70).Evaluate(_ => new Image<Rgb24>(128, 128, new Rgb24(0, 0, 0)));
        Assert.Equal(0, report.Overall);
        var gray = EvalSuite.Small(70).Evaluate(_ => new Image<Rgb24>(128, 128, new Rgb24(128, 128, 128)));
        Assert.Equal(0, gray.Overall);
    }

    [Fact]
    public void Blurred_ground_truth_still_passes()
    {
        var report = EvalSuite.Small(70).Evaluate(p =>
        {
            var image = Truth(p);
            image.Mutate(x => x.GaussianBlur(1.2f));
            return image;
        });
        Assert.True(report.Overall >= 0.9, report.ToTable());
    }

    [Fact]
    public void JPEG_compressed_ground_truth_still_passes()
    {
        var report = EvalSuite.Small(70).Evaluate(p =>
        {
            using var image = Truth(p);
            using var stream = new MemoryStream();
            image.SaveAsJpeg(stream, new JpegEncoder { Quality = 70 });
            stream.Position = 0;
            return Image.Load<Rgb24>(stream);
        });
        Assert.True(report.Overall >= 0.9, report.ToTable());
    }

    [Fact]
    public void Noisy_ground_truth_still_passes()
    {
        var rng = new DeterministicRandom(17);
        var report = EvalSuite.Small(70).Evaluate(p =>
        {
            var image = Truth(p);
            image.ProcessPixelRows(rows =>
            {
                for (var y = 0; y < rows.Height; y++)
                foreach (ref var px in rows.GetRowSpan(y))
                    px = new Rgb24(Jitter(px.R, rng), Jitter(px.G, rng), Jitter(px.B, rng));
            });
            return image;
        });
        Assert.True(report.Overall >= 0.9, report.ToTable());
    }

    [Fact]
    public void Wrong_colour_wrong_count_and_swapped_relation_fail()
    {
        var red = Palette.Red;
        var blue = Palette.Blue;
        var circle = new ObjectGroup(ShapeKind.Circle, red);
        var square = new ObjectGroup(ShapeKind.Square, blue);
        using var picture = Draw(Palette.Black,
            new PlacedObject(0, ShapeKind.Circle, red, Box(ShapeKind.Circle, 64, 30, 40)),
            new PlacedObject(1, ShapeKind.Square, blue, Box(ShapeKind.Square, 64, 95, 40)));

        Assert.True(Score(new SceneSpec(Category.Position, [circle, square], Palette.Black, new SpatialRelation(0, RelationKind.Above, 1)), picture).Correct);
        Assert.False(Score(new SceneSpec(Category.Position, [circle, square], null, new SpatialRelation(0, RelationKind.Below, 1)), picture).Correct);
        Assert.False(Score(new SceneSpec(Category.Position, [circle, square], null, new SpatialRelation(0, RelationKind.LeftOf, 1)), picture).Correct);
        Assert.False(Score(new SceneSpec(Category.ColourAttribution, [circle with { Colour = blue }, square with { Colour = red }]), picture).Correct);
        Assert.False(Score(new SceneSpec(Category.Counting, [circle with { Count = 2 }]), picture).Correct);
        Assert.True(Score(new SceneSpec(Category.Counting, [circle]), picture).Correct);
        Assert.False(Score(new SceneSpec(Category.SingleObject, [new ObjectGroup(ShapeKind.Star)]), picture).Correct);
        Assert.False(Score(new SceneSpec(Category.Colours, [circle], Palette.White), picture).Correct);
        Assert.False(Score(new SceneSpec(Category.Colours, [circle with { Size = SizeClass.Small }]), picture).Correct);
        Assert.True(Score(new SceneSpec(Category.Colours, [circle with { Size = SizeClass.Large }]), picture).Correct);
    }

    [Fact]
    public void Every_shape_is_recognised_at_both_sizes()
    {
        foreach (var shape in SceneGenerator.Shapes)
        foreach (var diameter in new[] { 24.0, 50.0 })
        {
            using var image = Draw(Palette.Navy, new PlacedObject(0, shape, Palette.Yellow, Box(shape, 60, 70, diameter)));
            var found = ImageAnalysis.Analyze(image).Objects.Single();
            Assert.Equal(shape, found.Shape);
            Assert.Equal(Palette.Yellow, found.Colour);
            Assert.Equal(diameter > 38 ? SizeClass.Large : SizeClass.Small, found.Size);
        }
    }

    [Theory]
    [InlineData(Placement.Left, 24, 64)]
    [InlineData(Placement.Right, 104, 64)]
    [InlineData(Placement.Top, 64, 24)]
    [InlineData(Placement.Bottom, 64, 104)]
    [InlineData(Placement.Centre, 66, 60)]
    public void Placement_follows_the_object_centre(Placement expected, double x, double y)
    {
        using var image = Draw(Palette.White, new PlacedObject(0, ShapeKind.Square, Palette.Green, Box(ShapeKind.Square, x, y, 26)));
        Assert.Equal(expected, ImageAnalysis.Analyze(image).Objects.Single().Placement);
    }

    [Fact]
    public void Every_glyph_is_read_back_and_confusions_fail()
    {
        foreach (var glyph in Rendering.GlyphFont.Glyphs)
        {
            using var image = Draw(Palette.Black, new PlacedObject(0, ShapeKind.Glyph, Palette.Orange, PixelBox.Around(64, 64, 45, 63), glyph));
            var spec = new SceneSpec(Category.Letters, [ObjectGroup.ForGlyph(glyph, Palette.Orange)]);
            var outcome = Score(spec, image);
            Assert.True(outcome.Correct, $"{glyph}: {outcome.Reason}");
            var other = glyph == 'O' ? '0' : 'O';
            Assert.False(Score(spec with { Groups = [ObjectGroup.ForGlyph(other, Palette.Orange)] }, image).Correct);
            Assert.False(Score(spec with { Groups = [ObjectGroup.ForGlyph(glyph, Palette.Blue)] }, image).Correct);
        }
    }

    [Fact]
    public void Small_suite_is_stratified_and_versioned()
    {
        var small = EvalSuite.Small(40);
        Assert.Equal(40, small.Prompts.Count);
        Assert.All(EvalSuite.Categories, c => Assert.True(small.Prompts.Count(p => p.Category == c) >= 5));
        Assert.Equal(Enum.GetValues<Category>().Except([Category.Words]), EvalSuite.Categories);
        Assert.Equal(200, Suite.Prompts.Count);
        Assert.Equal(Suite.Prompts.Count, Suite.Prompts.Select(p => p.Id).Distinct().Count());
        Assert.All(Suite.Prompts, p => Assert.StartsWith(EvalSuite.Version, p.Id));
        Assert.Throws<ArgumentOutOfRangeException>(() => EvalSuite.Small(3));
    }

    [Fact]
    public void Report_averages_over_categories()
    {
        var report = new EvaluationReport();
        var letters = Suite.Prompts.First(p => p.Category == Category.Letters);
        var single = Suite.Prompts.First(p => p.Category == Category.SingleObject);
        report.Add(letters, EvalOutcome.Fail("x"));
        report.Add(single, EvalOutcome.Pass("y"));
        report.Add(single, EvalOutcome.Fail("z"));
        report.Add(single, EvalOutcome.Pass("w"));
        Assert.Equal((0 + 2 / 3.0) / 2, report.Overall, 9);
        Assert.Equal(2 / 3.0, report.OverallWithoutLetters, 9);
        Assert.Contains("Letters", report.ToTable());
        Assert.Contains("overall", report.ToTable());
    }

    private static EvalOutcome Score(SceneSpec spec, Image<Rgb24> image) => Evaluator.Score(spec, image);

    private static readonly Dictionary<string, int> Indices = Suite.Prompts.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i);

    private static int IndexOf(EvalPrompt prompt) => Indices[prompt.Id];

    private static byte Jitter(byte v, DeterministicRandom rng) => (byte)Math.Clamp(v + rng.NextInt(-12, 12), 0, 255);

    private static PixelBox Box(ShapeKind shape, double x, double y, double diameter)
    {
        var (w, h) = Rendering.ShapeGeometry.BoxSize(shape, diameter);
        return PixelBox.Around(x, y, w, h);
    }

    private static Image<Rgb24> Draw(NamedColour background, params PlacedObject[] objects) =>
        Rendering.SceneRenderer.Render(new SceneLayout(background, objects));
}
