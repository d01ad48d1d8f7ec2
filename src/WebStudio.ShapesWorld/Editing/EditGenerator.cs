using WebStudio.Generation.Randomness;

namespace WebStudio.ShapesWorld.Editing;

/// <summary>
/// Deterministic stream of edit triples: triple <c>index</c> of <c>seed</c> is always the same input scene,
/// instruction and edited scene. A stream draws only input scenes of its <see cref="Split"/>
/// (<see cref="SceneSplit"/>), so training streams never contain the held-out scenes the edit suite is made of.
/// </summary>
public sealed class EditGenerator
{
    /// <summary>Draws per triple before giving up (a held-out scene is one in <see cref="SceneSplit.HeldOutOneIn"/>).</summary>
    private const int MaxAttempts = 1000;
    private long _next;

    public EditGenerator(long seed, EditSplit split = EditSplit.Training)
    {
        if (!Enum.IsDefined(split)) throw new ArgumentOutOfRangeException(nameof(split), split, "unknown split");
        Seed = seed;
        Split = split;
    }

    public static IReadOnlyList<EditKind> Kinds { get; } = Enum.GetValues<EditKind>();

    public long Seed { get; }

    public EditSplit Split { get; }

    /// <summary>Index the next call to <see cref="Next"/> will produce; settable to resume a stream.</summary>
    public long Position { get => _next; set => _next = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value)); }

    public EditTriple Next() => Plan(_next++);

    /// <summary>Triple <paramref name="index"/> of this stream: of <paramref name="kind"/> when given, else of a uniformly drawn kind. Pure and thread-safe.</summary>
    public EditTriple Plan(long index, EditKind? kind = null)
    {
        if (kind is { } k && !Enum.IsDefined(k)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown edit kind");
        var rng = DeterministicRandom.ForSample(Seed, index);
        var chosen = kind ?? rng.Pick(Kinds);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (EditBuilder.TryBuild(chosen, rng) is { } triple && SceneSplit.Of(triple.Input) == Split)
                return triple with { Seed = Seed, Index = index };
        }
        throw new InvalidOperationException($"No {chosen} edit of the {Split} split after {MaxAttempts} draws (seed {Seed}, index {index}).");
    }
}
