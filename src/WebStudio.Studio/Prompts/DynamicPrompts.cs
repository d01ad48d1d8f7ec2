using System.Globalization;
using System.Numerics;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;

namespace WebStudio.Studio.Prompts;

/// <summary>
/// Dynamic prompts, as A1111's sd-dynamic-prompts and InvokeAI write them: <c>a {red|blue} {circle|star}</c> stands for
/// every combination ("a red circle", "a red star", "a blue circle", "a blue star": the last group changes fastest).
/// Groups nest (<c>{a {red|blue} circle|a star}</c>), an option may be empty (<c>{|big }</c>), and a <c>|</c> inside
/// A1111's <c>[a|b]</c> stays A1111's. Braces without a <c>|</c> at their level stay text, so a style's
/// <c>{prompt}</c> passes as written; a backslash keeps the next character as text. A wildcard <c>__colors__</c> is a
/// group of its file's lines (<see cref="Wildcards"/>), which may hold groups and wildcards in turn. <c>{2$$a|b|c}</c>
/// takes two different options at once, in every order ("a, b", "a, c", "b, a", …), <c>{1-3$$ and $$…}</c> one to
/// three joined by " and ". <c>${c={red|blue}}</c> sets a variable that <c>${c}</c> writes, chosen afresh at each use, or
/// once per prompt where it is set with <c>=!</c>. <see cref="Draw"/> takes some of the combinations at random instead, as
/// sd-dynamic-prompts' random mode does, for a template that makes too many; weights (<c>{3::a|b}</c>) steer it.
/// </summary>
public static partial class DynamicPrompts
{
    /// <summary>The most prompts one template may make: each is a job of its own.</summary>
    public const int MaxPrompts = 100;

    /// <summary>The most options <c>{n$$…}</c> may take at once: its arrangements are counted exactly, and the work
    /// grows with the square of this.</summary>
    public const int MaxTaken = 10;

    /// <summary>Every prompt <paramref name="prompt"/> and <paramref name="negativePrompt"/> make together (each
    /// prompt with each negative prompt), or the problem with them: a group left open, a count or weight that cannot
    /// be, a wildcard missing, or more than <paramref name="max"/> combinations. <paramref name="drawOffered"/>: whether
    /// the caller offers a random draw (Generate does), which the refusal of too many then suggests.</summary>
    public static PromptVariants Of(string? prompt, string? negativePrompt, int max = MaxPrompts, Wildcards? wildcards = null, bool drawOffered = true)
    {
        var positive = Parse(prompt ?? "", "prompt", "the prompt", wildcards);
        var negative = Parse(negativePrompt ?? "", "negativePrompt", "the negative prompt", wildcards);
        if ((positive.Problem ?? negative.Problem) is { } problem)
        {
            return new PromptVariants([], 0, problem);
        }

        var count = Count(positive.Root!) * Count(negative.Root!);
        if (count > max)
        {
            return new PromptVariants([], Saturated(count), new FieldProblem("prompt",
                $"the choices make {Counted(count)} prompts, and at most {max} can be queued at once: take out some choices{(drawOffered ? ", or draw some of them at random" : "")}"));
        }

        return Every(positive.Root!, negative.Root!);
    }

    // Every pair, each prompt with each negative prompt: for a count already found within bounds.
    private static PromptVariants Every(Sequence positive, Sequence negative)
    {
        var negatives = Expand(negative).ToList();
        var pairs = Expand(positive).SelectMany(p => negatives.Select(n => new PromptPair(p, n))).ToList();
        return new PromptVariants(pairs, pairs.Count, null);
    }

    /// <summary>
    /// <paramref name="count"/> different prompts drawn at random from those <see cref="Of"/> would make (each
    /// combination as likely as any other, or in proportion to the product of its options' weights where some are
    /// written), listed in the order <see cref="Of"/> lists them; every combination where
    /// there are no more than <paramref name="count"/>. The draw follows <paramref name="seed"/>, the jobs' seed, so
    /// that the same seed draws the same prompts again; with no seed yet (a random one, drawn when queued) the pairs are
    /// left empty and only the count is given.
    /// </summary>
    public static PromptVariants Draw(string? prompt, string? negativePrompt, int count, long? seed, Wildcards? wildcards = null)
    {
        if (count is < 1 or > MaxPrompts)
        {
            return new PromptVariants([], 0, new FieldProblem("randomPrompts",
                $"the prompts drawn at random must number from 1 to {MaxPrompts}; {count} was asked"));
        }

        var positive = Parse(prompt ?? "", "prompt", "the prompt", wildcards);
        var negative = Parse(negativePrompt ?? "", "negativePrompt", "the negative prompt", wildcards);
        if ((positive.Problem ?? negative.Problem) is { } problem)
        {
            return new PromptVariants([], 0, problem);
        }

        var (positives, negatives) = (Count(positive.Root!), Count(negative.Root!));
        var total = positives * negatives;
        if (total <= count)
        {
            return Every(positive.Root!, negative.Root!);
        }

        if (seed is not { } drawnWith)
        {
            return new PromptVariants([], Saturated(total), null) { Jobs = count };
        }

        // Distinct combination numbers, drawn until there are enough: at most 100 of more than 100, so few repeat.
        var random = new Random(unchecked((int)drawnWith ^ (int)(drawnWith >> 32)));
        var drawn = new SortedSet<BigInteger>();
        var weighted = new WeightedDraw(random);
        if ((weighted.Weighted(positive.Root!) || weighted.Weighted(negative.Root!))
            && double.IsFinite(weighted.Mass(positive.Root!) * weighted.Mass(negative.Root!)))
        {
            // Weights that favour a few combinations may leave fewer different ones than asked after many tries: the
            // rest are then drawn as if unweighted, below. (So is all of a draw from more combinations than a double
            // holds, whose weighed sums cannot be found.)
            for (var tries = 0; drawn.Count < count && tries < count * 100; tries++)
            {
                drawn.Add(weighted.Number(positive.Root!) * negatives + weighted.Number(negative.Root!));
            }
        }

        while (drawn.Count < count)
        {
            drawn.Add(Below(total, random));
        }

        var pairs = drawn.Select(k => new PromptPair(Nth(positive.Root!, k / negatives), Nth(negative.Root!, k % negatives))).ToList();
        return new PromptVariants(pairs, Saturated(total), null);
    }

    private static BigInteger Below(BigInteger total, Random random)
    {
        if (total <= long.MaxValue)
        {
            return random.NextInt64((long)total);
        }

        // Eight bytes more than the total takes leave a bias below 2^-64.
        var bytes = new byte[total.GetByteCount(isUnsigned: true) + 8];
        random.NextBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true) % total;
    }

    // Counts are exact (a template of forty groups makes 10^40 prompts); the number shown stops at long's largest.
    private static long Saturated(BigInteger count) => count > long.MaxValue ? long.MaxValue : (long)count;

    internal static string Counted(BigInteger count) => count >= long.MaxValue ? "countless" : count.ToString("N0", CultureInfo.InvariantCulture);

}

/// <summary>A prompt and negative prompt a dynamic prompt makes.</summary>
public sealed record PromptPair(string Prompt, string NegativePrompt)
{
    /// <summary>The job <paramref name="spec"/> with these prompts in place of its own.</summary>
    public JobSpec.Txt2Img On(JobSpec.Txt2Img spec) => spec with { Prompt = Prompt, NegativePrompt = NegativePrompt };

    /// <summary>The edit <paramref name="spec"/> (or any diffusion job) with these prompts in place of its own.</summary>
    public JobSpec.Diffusion On(JobSpec.Diffusion spec) => spec with { Prompt = Prompt, NegativePrompt = NegativePrompt };
}

/// <summary>What a dynamic prompt makes: its pairs (one, the text as written, where it has no choice), how many
/// combinations it has, or the problem that stops it.</summary>
public sealed record PromptVariants(IReadOnlyList<PromptPair> Pairs, long Count, FieldProblem? Problem)
{
    /// <summary>Whether the prompts hold a choice: the form then queues a job per pair.</summary>
    public bool Varies => Count > 1 || Problem is not null;

    /// <summary>How many jobs Generate queues: a job per pair, or as many as a draw still waiting for its seed will
    /// make; fewer than <see cref="Count"/> where some combinations are drawn from the rest.</summary>
    public int Jobs { get; init; } = Pairs.Count;

    /// <summary>The count as a sentence gives it: "countless" past <see cref="long.MaxValue"/>.</summary>
    public string CountText => DynamicPrompts.Counted(Count);
}
