using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.ShapesWorld.Editing;

namespace WebStudio.ShapesWorld.Evaluation;

/// <summary>One edit-suite case: a held-out input scene, its instruction, and the seed for the model's noise.</summary>
public sealed record EditCase(string Id, EditTriple Edit, long Seed)
{
    public EditKind Kind => Edit.Kind;

    public string Instruction => Edit.Instruction;

    public Image<Rgb24> RenderInput() => Edit.RenderInput();

    /// <summary>The exact edited picture (a perfect edit).</summary>
    public Image<Rgb24> RenderExpected() => Edit.RenderOutput();
}

/// <summary>
/// The fixed, versioned list of instruction edits the built-in edit model is scored on: <see cref="DefaultSize"/>
/// cases, the seven kinds interleaved (so every prefix is stratified), all on held-out input scenes
/// (<see cref="EditSplit.HeldOut"/>). Changing how cases are made must bump <see cref="Version"/>.
/// </summary>
public sealed class EditSuite
{
    public const string Version = "edit-v1";

    /// <summary>The tuning suite's version: other held-out cases made the same way from another seed.</summary>
    public const string TuningVersion = "edit-tune-v1";

    public const int DefaultSize = 210;
    private const long SuiteSeed = 20261203;
    private const long TuningSeed = 20261205;

    private EditSuite(IReadOnlyList<EditCase> cases) => Cases = cases;

    public IReadOnlyList<EditCase> Cases { get; }

    /// <summary>210 cases, 30 of each kind.</summary>
    public static EditSuite Default => LazyDefault.Value;

    private static readonly Lazy<EditSuite> LazyDefault = new(() => new EditSuite(Build(DefaultSize, SuiteSeed, Version)));

    /// <summary>210 other held-out cases, 30 of each kind, for choosing settings (image guidance, the automatic mask, a
    /// checkpoint), so that the figures on <see cref="Default"/> are not tuned on the cases they report.</summary>
    public static EditSuite Tuning => LazyTuning.Value;

    private static readonly Lazy<EditSuite> LazyTuning = new(() => new EditSuite(Build(DefaultSize, TuningSeed, TuningVersion)));

    /// <summary>The first <paramref name="count"/> cases of <see cref="Default"/>, taken round-robin over the kinds (the CI subset).</summary>
    public static EditSuite Small(int count = 42)
    {
        var kinds = EditGenerator.Kinds.Count;
        if (count < kinds || count > DefaultSize)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"must be between {kinds} and {DefaultSize}");
        return new(Default.Cases.Take(count).ToArray());
    }

    /// <summary>Edits every case's input with <paramref name="edit"/> and scores the result.</summary>
    public EditReport Evaluate(Func<EditCase, Image<Rgb24>> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var report = new EditReport();
        foreach (var c in Cases)
        {
            using var image = edit(c);
            report.Add(c, EditScorer.Score(c.Edit, image));
        }
        return report;
    }

    private static EditCase[] Build(int size, long seed, string version)
    {
        var kinds = EditGenerator.Kinds;
        var generator = new EditGenerator(seed, EditSplit.HeldOut);
        var cases = new EditCase[size];
        for (var i = 0; i < size; i++)
        {
            var kind = kinds[i % kinds.Count];
            var id = $"{version}-{kind.ToString().ToLowerInvariant()}-{i / kinds.Count:D3}";
            cases[i] = new EditCase(id, generator.Plan(i, kind), seed + i);
        }
        return cases;
    }
}
