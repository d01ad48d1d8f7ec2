using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.ShapesWorld.Evaluation;

/// <summary>One evaluation prompt: text for the model, its spec, and the seed to generate it with.</summary>
public sealed record EvalPrompt(string Id, Category Category, string Prompt, SceneSpec Spec, long Seed)
{
    /// <summary>The world's own rendering of this prompt (a perfect generation).</summary>
    public Image<Rgb24> RenderGroundTruth() => SceneGenerator.Render(Spec);
}

/// <summary>
/// The fixed, versioned list of evaluation prompts, stratified over categories. Changing how prompts
/// are made must bump <see cref="Version"/> so old scores are not compared with new ones.
/// </summary>
public sealed class EvalSuite
{
    public const string Version = "v1";
    public const string WordsVersion = "words-v1";
    public const string SeenWordsVersion = "seen-words-v1";
    private const long SuiteSeed = 20261127;
    private const long WordsSeed = 20261205;
    private const int DefaultSize = 200;

    private EvalSuite(string name, IReadOnlyList<EvalPrompt> prompts)
    {
        Name = name;
        Prompts = prompts;
    }

    /// <summary><see cref="Version"/> or <see cref="WordsVersion"/>: what a score was measured on.</summary>
    public string Name { get; }

    public IReadOnlyList<EvalPrompt> Prompts { get; }

    /// <summary>The categories of v1, in its order. Later categories have suites of their own, so v1's scores stay
    /// comparable.</summary>
    public static IReadOnlyList<Category> Categories { get; } =
        [Category.SingleObject, Category.TwoObjects, Category.Counting, Category.Colours, Category.Position, Category.ColourAttribution, Category.Letters];

    /// <summary>200 prompts, as even a split over the seven categories as possible.</summary>
    public static EvalSuite Default { get; } = new(Version, Build(DefaultSize));

    /// <summary>One prompt per held-out word (<see cref="WordList.HeldOut"/>, never drawn in training): 160 Words scenes,
    /// a word alone or above or below a shape.</summary>
    public static EvalSuite Words { get; } = new(WordsVersion, BuildWords(WordsVersion, WordList.HeldOut));

    /// <summary>The same kind of prompts on every fifth training word (164): what a model spells of the words it was
    /// trained on, against <see cref="Words"/>, tells memorising from spelling.</summary>
    public static EvalSuite SeenWords { get; } = new(SeenWordsVersion, BuildWords(SeenWordsVersion, WordList.Training.Where((_, i) => i % 5 == 0).ToArray()));

    /// <summary>The first <paramref name="count"/> prompts of <see cref="Default"/> taken round-robin over categories.</summary>
    public static EvalSuite Small(int count = 42)
    {
        var categories = Categories.Count;
        if (count < categories || count > DefaultSize)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"must be between {categories} and {DefaultSize}");
        return new(Version, Default.Prompts.Take(count).ToArray());
    }

    /// <summary>The first <paramref name="count"/> prompts of this suite; all of them when it is 0 or more than there are.</summary>
    public EvalSuite Prefix(int count) => count <= 0 || count >= Prompts.Count ? this : new(Name, Prompts.Take(count).ToArray());

    /// <summary>Generates every prompt's image with <paramref name="generate"/> and scores it.</summary>
    public EvaluationReport Evaluate(Func<EvalPrompt, Image<Rgb24>> generate)
    {
        var report = new EvaluationReport();
        foreach (var prompt in Prompts)
        {
            using var image = generate(prompt);
            report.Add(prompt, Evaluator.Score(prompt.Spec, image));
        }
        return report;
    }

    // Prompts are interleaved by category so any prefix is stratified.
    private static EvalPrompt[] Build(int size)
    {
        var categories = Categories;
        var generator = new SceneGenerator(SuiteSeed);
        var prompts = new EvalPrompt[size];
        for (var i = 0; i < size; i++)
        {
            var category = categories[i % categories.Count];
            var ordinal = i / categories.Count;
            var plan = generator.Plan(i, category);
            var id = $"{Version}-{category.ToString().ToLowerInvariant()}-{ordinal:D3}";
            prompts[i] = new EvalPrompt(id, category, plan.Caption, plan.Spec, SuiteSeed + i);
        }
        return prompts;
    }

    private static EvalPrompt[] BuildWords(string name, IReadOnlyList<string> words)
    {
        var generator = new SceneGenerator(WordsSeed);
        return words.Select((word, i) =>
        {
            var plan = generator.Plan(i, Category.Words, [word]);
            return new EvalPrompt($"{name}-{i:D3}", Category.Words, plan.Caption, plan.Spec, WordsSeed + i);
        }).ToArray();
    }
}
