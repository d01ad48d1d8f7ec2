using System.Globalization;
using System.Numerics;
using System.Text;
using WebStudio.Studio.Engine;

namespace WebStudio.Studio.Prompts;

/// <summary>
/// Dynamic prompts, as A1111's sd-dynamic-prompts and InvokeAI write them: <c>a {red|blue} {circle|star}</c> stands for
/// every combination ("a red circle", "a red star", "a blue circle", "a blue star": the last group changes fastest).
/// Groups nest (<c>{a {red|blue} circle|a star}</c>), an option may be empty (<c>{|big }</c>), and a <c>|</c> inside
/// A1111's <c>[a|b]</c> stays A1111's. Braces without a <c>|</c> at their level stay text, so a style's
/// <c>{prompt}</c> passes as written; a backslash keeps the next character as text. A wildcard <c>__colors__</c> is a
/// group of its file's lines (<see cref="Wildcards"/>), which may hold groups and wildcards in turn. <see cref="Draw"/>
/// takes some of the combinations at random instead, as sd-dynamic-prompts' random mode does, for a template that makes
/// too many.
/// </summary>
public static class DynamicPrompts
{
    /// <summary>The most prompts one template may make: each is a job of its own.</summary>
    public const int MaxPrompts = 100;

    /// <summary>Every prompt <paramref name="prompt"/> and <paramref name="negativePrompt"/> make together (each
    /// prompt with each negative prompt), or the problem with them: a group left open, a syntax this studio does not
    /// take, or more than <paramref name="max"/> combinations.</summary>
    public static PromptVariants Of(string? prompt, string? negativePrompt, int max = MaxPrompts, Wildcards? wildcards = null)
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
                $"the choices make {Counted(count)} prompts, and at most {max} can be queued at once: take out some choices, or draw some of them at random"));
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
    /// combination as likely as any other), listed in the order <see cref="Of"/> lists them; every combination where
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

    // The k-th text Expand lists, found without listing those before it: a sequence's parts are the digits of k (the
    // last part the lowest), a choice's options follow each other.
    private static string Nth(Node node, BigInteger k)
    {
        switch (node)
        {
            case Text text:
                return text.Value;
            case Sequence sequence:
                var parts = new string[sequence.Parts.Count];
                for (var i = parts.Length - 1; i >= 0; i--)
                {
                    var size = Count(sequence.Parts[i]);
                    parts[i] = Nth(sequence.Parts[i], k % size);
                    k /= size;
                }

                return string.Concat(parts);
            case Choice choice:
                foreach (var option in choice.Options)
                {
                    var size = Count(option);
                    if (k < size)
                    {
                        return Nth(option, k);
                    }

                    k -= size;
                }

                break;
        }

        throw new InvalidOperationException();
    }

    // Counts are exact (a template of forty groups makes 10^40 prompts); the number shown stops at long's largest.
    private static long Saturated(BigInteger count) => count > long.MaxValue ? long.MaxValue : (long)count;

    internal static string Counted(BigInteger count) => count >= long.MaxValue ? "countless" : count.ToString("N0", CultureInfo.InvariantCulture);

    private abstract record Node;

    private sealed record Text(string Value) : Node;

    // Sizes are kept on the nodes: a wildcard's group stands wherever the wildcard is named, and is counted once.
    private sealed record Sequence(IReadOnlyList<Node> Parts) : Node
    {
        private BigInteger? _size;

        public BigInteger Size => _size ??= Parts.Aggregate(BigInteger.One, (product, part) => product * Count(part));
    }

    private sealed record Choice(IReadOnlyList<Sequence> Options) : Node
    {
        private BigInteger? _size;

        public BigInteger Size => _size ??= Options.Aggregate(BigInteger.Zero, (sum, option) => sum + option.Size);
    }

    private sealed record Parsed(Sequence? Root, FieldProblem? Problem);

    private static Parsed Parse(string text, string field, string name, Wildcards? wildcards)
    {
        var parser = new Parser(text, wildcards, [], new Dictionary<string, Node>(StringComparer.Ordinal));
        var root = parser.Sequence(inChoice: false);
        return parser.Problem is { } problem ? new Parsed(null, new FieldProblem(field, $"{name}: {problem}")) : new Parsed(root, null);
    }

    private static BigInteger Count(Node node) => node switch
    {
        Text => BigInteger.One,
        Sequence sequence => sequence.Size,
        Choice choice => choice.Size,
        _ => throw new InvalidOperationException(),
    };

    private static IEnumerable<string> Expand(Node node) => node switch
    {
        Text text => [text.Value],
        Sequence sequence => Expand(sequence.Parts, 0),
        Choice choice => choice.Options.SelectMany(Expand),
        _ => throw new InvalidOperationException(),
    };

    private static IEnumerable<string> Expand(IReadOnlyList<Node> parts, int from)
    {
        if (from == parts.Count)
        {
            yield return "";
            yield break;
        }

        foreach (var head in Expand(parts[from]))
        {
            foreach (var tail in Expand(parts, from + 1))
            {
                yield return head + tail;
            }
        }
    }

    // A wildcard's options may name wildcards in turn, this deep at most.
    private const int MaxWildcardDepth = 10;

    // Without wildcards (null), __name__ is text, as it was before wildcards.
    // Each wildcard is read and parsed once per prompt (parsed), however often its name comes up.
    private sealed class Parser(string text, Wildcards? wildcards, IReadOnlyList<string> within, Dictionary<string, Node> parsed)
    {
        private int _at;

        public string? Problem { get; private set; }

        // Whether the problem already names the wildcard it is in, so that an enclosing wildcard passes it on as it is.
        private bool _named;

        private void Named(string problem)
        {
            _named |= Problem is null;
            Problem ??= problem;
        }

        // Text and groups up to the end, or, inside a group, up to its next | or } (not one inside A1111's [ ]).
        public Sequence Sequence(bool inChoice)
        {
            var parts = new List<Node>();
            var literal = new StringBuilder();
            var brackets = 0;
            while (_at < text.Length)
            {
                var c = text[_at];
                if (c == '\\' && _at + 1 < text.Length)
                {
                    literal.Append(c).Append(text[_at + 1]);
                    _at += 2;
                    continue;
                }

                if (c == '{')
                {
                    Flush(parts, literal);
                    parts.Add(Group());
                    continue;
                }

                if (c == '_' && WildcardName() is { } name)
                {
                    Flush(parts, literal);
                    parts.Add(Wildcard(name));
                    continue;
                }

                if (inChoice && brackets == 0 && c is '|' or '}')
                {
                    break;
                }

                brackets += c == '[' ? 1 : c == ']' && brackets > 0 ? -1 : 0;
                literal.Append(c);
                _at++;
            }

            Flush(parts, literal);
            return new Sequence(parts);
        }

        private Node Group()
        {
            var start = _at++;
            var options = new List<Sequence> { Sequence(inChoice: true) };
            while (_at < text.Length && text[_at] == '|')
            {
                _at++;
                options.Add(Sequence(inChoice: true));
            }

            var closed = _at < text.Length;
            _at += closed ? 1 : 0;
            if (options.Count == 1)
            {
                // No choice: the braces are text, as a style's {prompt} is.
                return new Sequence([new Text("{"), options[0], .. closed ? new[] { new Text("}") } : []]);
            }

            if (!closed)
            {
                Problem ??= $"the {{ at character {start + 1} has no closing }}";
            }
            else if (options[0].Parts is [Text first, ..] && first.Value.Contains("$$", StringComparison.Ordinal))
            {
                Problem ??= $"{{n$$…}} (several options at once) at character {start + 1} is not supported: write each combination as an option";
            }

            return new Choice(options);
        }

        // The name of a wildcard __name__ starting here, or null where the underscores are text.
        private string? WildcardName()
        {
            if (wildcards is null || !text.AsSpan(_at).StartsWith("__", StringComparison.Ordinal))
            {
                return null;
            }

            var close = text.IndexOf("__", _at + 2, StringComparison.Ordinal);
            return close > _at + 2 && Wildcards.IsName(text[(_at + 2)..close]) ? text[(_at + 2)..close] : null;
        }

        private Node Wildcard(string name)
        {
            var start = _at;
            _at += name.Length + 4;
            if (parsed.TryGetValue(name, out var known))
            {
                return known;
            }

            if (within.Contains(name) || within.Count == MaxWildcardDepth)
            {
                Named(within.Contains(name)
                    ? $"the wildcard __{name}__ takes itself in ({string.Join(" → ", within.Append(name).Select(n => $"__{n}__"))})"
                    : $"the wildcards nest more than {MaxWildcardDepth} deep ({string.Join(" → ", within.Select(n => $"__{n}__"))})");
                return new Text("");
            }

            IReadOnlyList<string>? lines;
            try
            {
                lines = wildcards!.Lines(name);
            }
            catch (WildcardException e)
            {
                Named(e.Message);
                return new Text("");
            }

            if (lines is null || lines.Count == 0)
            {
                var names = wildcards.Names();
                Named(lines is not null ? $"the wildcard __{name}__ has no options: its file has no line of text"
                    : names.Count == 0 ? $"there is no wildcard __{name}__ (at character {start + 1}), nor any other: an administrator adds them as text files, an option a line"
                    : $"there is no wildcard __{name}__ (at character {start + 1}); there are {string.Join(", ", names.Take(12).Select(n => $"__{n}__"))}{(names.Count > 12 ? "…" : "")}");
                return new Text("");
            }

            var options = new List<Sequence>(lines.Count);
            foreach (var line in lines)
            {
                var parser = new Parser(line, wildcards, [.. within, name], parsed);
                options.Add(parser.Sequence(inChoice: false));
                if (parser.Problem is { } problem)
                {
                    Named(parser._named ? problem : $"the wildcard __{name}__'s option \"{line}\": {problem}");
                }
            }

            return parsed[name] = new Choice(options);
        }

        private static void Flush(List<Node> parts, StringBuilder literal)
        {
            if (literal.Length > 0)
            {
                parts.Add(new Text(literal.ToString()));
                literal.Clear();
            }
        }
    }
}

/// <summary>A prompt and negative prompt a dynamic prompt makes.</summary>
public sealed record PromptPair(string Prompt, string NegativePrompt);

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
