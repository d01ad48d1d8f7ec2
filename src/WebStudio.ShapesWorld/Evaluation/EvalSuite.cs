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
    private const long SuiteSeed = 20261127;
    private const int DefaultSize = 200;

    private EvalSuite(IReadOnlyList<EvalPrompt> prompts) => Prompts = prompts;

    public IReadOnlyList<EvalPrompt> Prompts { get; }

    /// <summary>200 prompts, as even a split over the seven categories as possible.</summary>
    public static EvalSuite Default { get; } = new(Build(DefaultSize));

    /// <summary>The first <paramref name="count"/> prompts of <see cref="Default"/> taken round-robin over categories.</summary>
    public static EvalSuite Small(int count = 42)
    {
        var categories = Enum.GetValues<Category>().Length;
        if (count < categories || count > DefaultSize)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"must be between {categories} and {DefaultSize}");
        return new(Default.Prompts.Take(count).ToArray());
    }

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
        var categories = Enum.GetValues<Category>();
        var generator = new SceneGenerator(SuiteSeed);
        var prompts = new EvalPrompt[size];
        for (var i = 0; i < size; i++)
        {
            var category = categories[i % categories.Length];
            var ordinal = i / categories.Length;
            var plan = generator.Plan(i, category);
            var id = $"{Version}-{category.ToString().ToLowerInvariant()}-{ordinal:D3}";
            prompts[i] = new EvalPrompt(id, category, plan.Caption, plan.Spec, SuiteSeed + i);
        }
        return prompts;
    }
}
