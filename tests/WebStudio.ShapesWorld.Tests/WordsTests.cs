using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using WebStudio.ShapesWorld.Captions;
using WebStudio.ShapesWorld.Evaluation;
using WebStudio.ShapesWorld.Rendering;

namespace WebStudio.ShapesWorld.Tests;

/// <summary>Words in pictures (issue 22, section 3): the Words category, its captions, the word reader and words-v1.</summary>
[Trait("Capability", "InstructEdit")]
public class WordsTests
{
    private static readonly EvalSuite Suite = EvalSuite.Words;

    [Fact]
    public void The_words_suite_asks_for_each_held_out_word_once_and_none_is_a_training_word()
    {
        Assert.Equal(WordList.HeldOut, Suite.Prompts.Select(p => p.Spec.Groups[0].Text));
        Assert.Equal(160, Suite.Prompts.Count);
        Assert.Empty(WordList.HeldOut.Intersect(WordList.Training));
        Assert.All(WordList.Training.Concat(WordList.HeldOut), word => Assert.True(WordList.IsWord(word), word));
        Assert.Empty(WordList.Training.Concat(WordList.HeldOut).Select(w => w.ToLowerInvariant()).Intersect(CaptionGrammar.Vocabulary));
        Assert.All(Suite.Prompts, p => Assert.StartsWith(EvalSuite.WordsVersion + "-", p.Id));
        // Some words stand alone and some are stacked with a shape, as in training.
        Assert.InRange(Suite.Prompts.Count(p => p.Spec.Relation is not null), 30, 70);
    }

    [Fact]
    public void The_seen_words_suite_asks_for_training_words_in_the_same_way()
    {
        var seen = EvalSuite.SeenWords.Prompts;
        Assert.Equal(164, seen.Count);
        Assert.All(seen, p => Assert.Contains(p.Spec.Groups[0].Text!, WordList.Training));
        Assert.All(seen, p => Assert.StartsWith(EvalSuite.SeenWordsVersion + "-", p.Id));
        Assert.Equal(1, EvalSuite.SeenWords.Evaluate(p => p.RenderGroundTruth()).Overall);
    }

    [Fact]
    public void Training_scenes_never_draw_a_held_out_word()
    {
        var generator = new SceneGenerator(5, new Dictionary<Category, double> { [Category.Words] = 1 });
        var drawn = Enumerable.Range(0, 4000).Select(i => generator.Plan(i).Spec.Groups[0].Text!).ToHashSet();
        Assert.Empty(drawn.Intersect(WordList.HeldOut));
        Assert.True(drawn.Count > 700, $"{drawn.Count} distinct training words in 4,000 scenes");
    }

    [Fact]
    public void Ground_truth_renders_read_every_word()
    {
        var report = Suite.Evaluate(p => p.RenderGroundTruth());
        Assert.True(report.Overall == 1, Failures(report));
        Assert.All(report.Results, r => Assert.StartsWith($"read '{r.Prompt.Spec.Groups[0].Text}'", r.Outcome.Reason));
    }

    [Fact]
    public void Blurred_compressed_and_noisy_ground_truth_still_reads()
    {
        var blurred = Suite.Evaluate(p => Altered(p, image => image.Mutate(x => x.GaussianBlur(1f))));
        Assert.True(blurred.Overall >= 0.95, Failures(blurred));
        var jpeg = Suite.Evaluate(p =>
        {
            using var truth = p.RenderGroundTruth();
            using var stream = new MemoryStream();
            truth.SaveAsJpeg(stream, new JpegEncoder { Quality = 70 });
            stream.Position = 0;
            return Image.Load<Rgb24>(stream);
        });
        Assert.True(jpeg.Overall >= 0.95, Failures(jpeg));
        var random = new Random(3);
        var noisy = Suite.Evaluate(p => Altered(p, image => image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            foreach (ref var pixel in rows.GetRowSpan(y))
            {
                pixel = new Rgb24(Noise(pixel.R, random), Noise(pixel.G, random), Noise(pixel.B, random));
            }
        })));
        Assert.True(noisy.Overall >= 0.95, Failures(noisy));
    }

    [Fact]
    public void Another_words_picture_and_a_blank_image_fail()
    {
        var prompts = Suite.Prompts;
        var shuffled = new EvaluationReport();
        foreach (var prompt in prompts)
        {
            var other = prompts[(IndexOf(prompt) * 37 + 11) % prompts.Count];
            using var image = other.RenderGroundTruth();
            // Only the letters decide: neither the background nor the shape is asked for.
            shuffled.Add(prompt, Evaluator.Score(prompt.Spec with { Background = null, Groups = [prompt.Spec.Groups[0]], Relation = null }, image));
        }

        Assert.True(shuffled.Overall <= 0.02, shuffled.ToTable());
        Assert.Equal(0, Suite.Evaluate(_ => new Image<Rgb24>(128, 128, new Rgb24(245, 245, 245))).Overall);
    }

    [Theory]
    [InlineData("CAT", "CAT", true)]
    [InlineData("CAT", "COT", false)]
    [InlineData("CAT", "CA", false)]
    [InlineData("CAT", "CATS", false)]
    [InlineData("CAT", "ACT", false)]
    [InlineData("OPEN", "OPEN", true)]
    [InlineData("OPEN", "OPEM", false)]
    public void A_word_passes_only_with_every_letter_right_and_in_order(string asked, string drawn, bool passes)
    {
        var layout = new SceneLayout(Palette.White, [.. Letters(drawn, 5)]);
        using var image = SceneRenderer.Render(layout);
        var outcome = Evaluator.Score(new SceneSpec(Category.Words, [ObjectGroup.ForWord(asked, Palette.Red)]), image);
        Assert.True(outcome.Correct == passes, outcome.Reason);
    }

    [Theory]
    [InlineData("CAT", "CAT", 3)]
    [InlineData("CAT", "COT", 2)]
    [InlineData("BIRD", "BIRO", 3)]
    [InlineData("CAT", "ACT", 1)]
    public void Every_word_outcome_counts_the_letters_read_in_place(string asked, string drawn, int right)
    {
        using var image = SceneRenderer.Render(new SceneLayout(Palette.White, [.. Letters(drawn, 5)]));
        var spec = new SceneSpec(Category.Words, [ObjectGroup.ForWord(asked, Palette.Red)], Palette.White);
        Assert.Equal(new LetterCount(right, asked.Length), Evaluator.Score(spec, image).Letters);
        // A wrong background fails first, and still counts the letters.
        Assert.Equal(new LetterCount(right, asked.Length), Evaluator.Score(spec with { Background = Palette.Navy }, image).Letters);
        Assert.Null(Evaluator.Score(new SceneSpec(Category.Colours, [new ObjectGroup(ShapeKind.Circle)]), image).Letters);

        var report = new EvaluationReport();
        report.Add(Suite.Prompts[0], Evaluator.Score(spec, image));
        Assert.Equal(right / (double)asked.Length, report.LettersInPlace);
    }

    [Fact]
    public void Letters_joined_by_blur_are_still_cut_where_their_ink_parts()
    {
        // Cells of 4.5 px leave gaps of 4.5 px between letters; a blur of σ 1.5 joins the letters' blobs.
        var layout = new SceneLayout(Palette.Navy, [.. Letters("BEAN", 4.5, Palette.Brown)]);
        using var image = SceneRenderer.Render(layout);
        image.Mutate(x => x.GaussianBlur(1.5f));
        var outcome = Evaluator.Score(new SceneSpec(Category.Words, [ObjectGroup.ForWord("BEAN", Palette.Brown)]), image);
        Assert.True(outcome.Correct, outcome.Reason);
    }

    [Fact]
    public void A_shape_in_line_with_the_word_is_not_one_of_its_letters()
    {
        PlacedObject[] objects =
        [
            .. Letters("HI", 5, Palette.Red, centreX: 34),
            new PlacedObject(1, ShapeKind.Circle, Palette.Red, PixelBox.Around(104, 64, 24, 24)),
        ];
        using var image = SceneRenderer.Render(new SceneLayout(Palette.White, objects));
        var spec = new SceneSpec(Category.Words, [ObjectGroup.ForWord("HI", Palette.Red), new ObjectGroup(ShapeKind.Circle, Palette.Red)], null,
            new SpatialRelation(0, RelationKind.LeftOf, 1));
        var outcome = Evaluator.Score(spec, image);
        Assert.True(outcome.Correct, outcome.Reason);
        Assert.False(Evaluator.Score(spec with { Relation = new SpatialRelation(0, RelationKind.RightOf, 1) }, image).Correct);
    }

    [Fact]
    public void Captions_read_back_as_their_scenes()
    {
        var generator = new SceneGenerator(11, new Dictionary<Category, double> { [Category.Words] = 1 });
        var plans = Enumerable.Range(0, 500).Select(i => generator.Plan(i)).Concat(Suite.Prompts.Select(p => new ScenePlan(p.Prompt, p.Spec, p.Category, 0, 0)));
        foreach (var plan in plans)
        {
            Assert.Equal(PromptParserTests.Canonical(plan.Spec), PromptParserTests.Canonical(PromptParser.Parse(plan.Caption)));
            // Every word of a caption is a caption word, the keyword or the word drawn.
            Assert.All(CaptionGrammar.Words(plan.Caption), word => Assert.True(
                CaptionGrammar.Vocabulary.Contains(word) || word == CaptionGrammar.WordKeyword || word == plan.Spec.Groups[0].Text!.ToLowerInvariant(),
                $"'{word}' in '{plan.Caption}'"));
        }
    }

    [Theory]
    [InlineData("the word CAT in red on white", "CAT", "red", "white")]
    [InlineData("OPEN in yellow", "OPEN", "yellow", null)]
    [InlineData("the green word hi, black background", "HI", "green", "black")]
    public void The_issues_prompts_parse_as_words(string prompt, string word, string colour, string? background)
    {
        var spec = PromptParser.Parse(prompt);
        Assert.Equal(Category.Words, spec.Category);
        Assert.Equal(ObjectGroup.ForWord(word, Palette.ByName(colour)), spec.Groups.Single());
        Assert.Equal(background is null ? null : Palette.ByName(background), spec.Background);
    }

    [Theory]
    [InlineData("A")]
    [InlineData("HOUSE")]
    [InlineData("C4T")]
    public void A_word_the_world_cannot_draw_is_refused_by_name(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => new SceneSpec(Category.Words, [ObjectGroup.ForWord(text)]).Validate());
        Assert.Contains("Groups.Text", error.Message);
    }

    // The generator's own letter layout, in the middle row of the picture.
    private static IEnumerable<PlacedObject> Letters(string text, double cell, NamedColour? colour = null, double centreX = 64) =>
        WordScenes.Letters(text, colour ?? Palette.Red, centreX, 64, cell, group: 0);

    private static Image<Rgb24> Altered(EvalPrompt prompt, Action<Image<Rgb24>> alter)
    {
        var image = prompt.RenderGroundTruth();
        alter(image);
        return image;
    }

    private static byte Noise(byte value, Random random) => (byte)Math.Clamp(value + random.Next(-12, 13), 0, 255);

    private static int IndexOf(EvalPrompt prompt) => Suite.Prompts.ToList().IndexOf(prompt);

    private static string Failures(EvaluationReport report) =>
        report.ToTable() + string.Join("\n", report.Results.Where(r => !r.Outcome.Correct).Select(r => $"{r.Prompt.Id} '{r.Prompt.Prompt}': {r.Outcome.Reason}"));
}
