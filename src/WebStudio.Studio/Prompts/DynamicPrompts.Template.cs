using System.Numerics;

namespace WebStudio.Studio.Prompts;

// A template's parts (text, sequences, {a|b} choices, {2$$a|b|c} picks), what they count, list and number.
public static partial class DynamicPrompts
{
    // The k-th text Expand lists, found without listing those before it: a sequence's parts are the digits of k (the
    // last part the lowest), a choice's options follow each other, and a pick's arrangements of fewer options come
    // before those of more.
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
            case Pick pick:
                for (var many = pick.Min; many <= pick.Max; many++)
                {
                    var size = pick.Arrangements(many);
                    if (k < size)
                    {
                        return Nth(pick.Arrangement(many, ref k), k);
                    }

                    k -= size;
                }

                break;
        }

        throw new InvalidOperationException();
    }

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
        /// <summary>The wildcard whose lines the options are, where they are: {2$$__colors__} picks among them.</summary>
        public string? Wildcard { get; init; }

        /// <summary>The options' weights (<c>{0.5::a|b}</c>), or null where none is written: each is then 1.</summary>
        public IReadOnlyList<double>? Weights { get; init; }

        private BigInteger? _size;

        public BigInteger Size => _size ??= Options.Aggregate(BigInteger.Zero, (sum, option) => sum + option.Size);
    }

    // sd-dynamic-prompts' {2$$a|b|c}: Min to Max different options (never one twice), in every order, joined by the
    // separator; each arrangement's options make their own texts in turn, as a sequence's parts do.
    private sealed record Pick(IReadOnlyList<Sequence> Options, int Min, int Max, string Separator) : Node
    {
        /// <summary>The options' weights, or null where none is written.</summary>
        public IReadOnlyList<double>? Weights { get; init; }

        private BigInteger? _size;

        public BigInteger Size => _size ??= Enumerable.Range(Min, Max - Min + 1).Aggregate(BigInteger.Zero, (sum, many) => sum + Arrangements(many));

        // What the arrangements of `many` options make: the sum, over every ordered choice of that many different
        // options, of the product of their sizes; many! times the elementary symmetric sum of the sizes.
        public BigInteger Arrangements(int many) => Factorial(many) * Sums[many];

        // e_0 … e_Max of the options' sizes, found once.
        private BigInteger[] Sums => _sums ??= Elementary(Options.Select(o => o.Size), Max);

        private BigInteger[]? _sums;

        // The arrangement of `many` options that holds the k-th text (as Expand lists them: arrangements in the order
        // of their options' places, each one's texts in turn), as a sequence; k is left as the place within it.
        public Sequence Arrangement(int many, ref BigInteger k)
        {
            var places = new Places(this, many);
            var chosen = new List<int>(many);
            for (var place = 0; place < many; place++)
            {
                // A run of options of one size (a wildcard's lines of one text each, as a rule) heads blocks of one
                // size, crossed by a division, not a step an option.
                var at = 0;
                for (; ; at++)
                {
                    var block = places.Block(at);
                    var skipped = BigInteger.Min(k / block, Run(places.Remaining, at) - 1);
                    at += (int)skipped;
                    k -= skipped * block;
                    if (k < block)
                    {
                        break;
                    }

                    k -= block;
                }

                chosen.Add(places.Remaining[at]);
                places.Take(at);
            }

            // k is now the place among the chosen options' own texts.
            return Joined(chosen);
        }

        // Where Arrangement finds the arrangement `order`: the number of its first text among those of its length.
        public BigInteger RankOf(IReadOnlyList<int> order)
        {
            var places = new Places(this, order.Count);
            var rank = BigInteger.Zero;
            foreach (var option in order)
            {
                var target = places.Remaining.BinarySearch(option);
                for (var at = 0; at < target;)
                {
                    var run = Math.Min(Run(places.Remaining, at), target - at);
                    rank += run * places.Block(at);
                    at += run;
                }

                places.Take(target);
            }

            return rank;
        }

        // The places of an arrangement of `many` options, filled in turn: the options left, and the texts of the
        // arrangements each would head at the next place (after those taken), the same for every option of one size.
        private sealed class Places(Pick pick, int many)
        {
            private readonly Dictionary<BigInteger, BigInteger> _blocks = [];
            private BigInteger[] _sums = pick.Sums[..(many + 1)];
            private BigInteger _texts = BigInteger.One;
            private int _after = many - 1;

            public List<int> Remaining { get; } = [.. Enumerable.Range(0, pick.Options.Count)];

            public BigInteger Block(int at)
            {
                var size = pick.Options[Remaining[at]].Size;
                if (!_blocks.TryGetValue(size, out var block))
                {
                    _blocks[size] = block = _texts * size * Factorial(_after) * Without(_sums, size, _after)[_after];
                }

                return block;
            }

            public void Take(int at)
            {
                var size = pick.Options[Remaining[at]].Size;
                Remaining.RemoveAt(at);
                _texts *= size;
                _sums = Without(_sums, size, _after);
                _after--;
                _blocks.Clear();
            }
        }

        // e_0 … e_upTo without one option of this size, from those with it: e_j(R) = e_j(R∖i) + size·e_(j−1)(R∖i).
        private static BigInteger[] Without(BigInteger[] sums, BigInteger size, int upTo)
        {
            var without = new BigInteger[upTo + 1];
            without[0] = BigInteger.One;
            for (var j = 1; j <= upTo; j++)
            {
                without[j] = sums[j] - size * without[j - 1];
            }

            return without;
        }

        // How many of the remaining options from `at` on have its size, one after another: the run it starts.
        private int Run(List<int> remaining, int at)
        {
            var end = RunEnds[remaining[at]];
            var found = remaining.BinarySearch(at, remaining.Count - at, end, null);
            return (found >= 0 ? found : ~found - 1) - at + 1;
        }

        // For each option, the last of the options of its size that follow it one after another.
        private int[] RunEnds => _runEnds ??= Enumerable.Range(0, Options.Count).Reverse()
            .Aggregate(new int[Options.Count], (ends, i) =>
            {
                ends[i] = i + 1 < Options.Count && Options[i + 1].Size == Options[i].Size ? ends[i + 1] : i;
                return ends;
            });

        private int[]? _runEnds;

        public Sequence Joined(IEnumerable<int> chosen) =>
            new([.. chosen.SelectMany((option, place) => place == 0 ? new Node[] { Options[option] } : [new Text(Separator), Options[option]])]);

        // Every ordered choice of `many` different options, in the order of their places.
        public IEnumerable<List<int>> Orders(int many, List<int>? prefix = null)
        {
            prefix ??= [];
            if (prefix.Count == many)
            {
                yield return prefix;
                yield break;
            }

            for (var i = 0; i < Options.Count; i++)
            {
                if (!prefix.Contains(i))
                {
                    foreach (var order in Orders(many, [.. prefix, i]))
                    {
                        yield return order;
                    }
                }
            }
        }
    }

    // e_0 … e_upTo of the sizes: e_j is the sum of the products of every j of them.
    private static BigInteger[] Elementary(IEnumerable<BigInteger> sizes, int upTo)
    {
        var sums = new BigInteger[upTo + 1];
        sums[0] = BigInteger.One;
        foreach (var size in sizes)
        {
            for (var j = upTo; j >= 1; j--)
            {
                sums[j] += sums[j - 1] * size;
            }
        }

        return sums;
    }

    private static BigInteger Factorial(int n) => Enumerable.Range(1, n).Aggregate(BigInteger.One, (product, i) => product * i);

    private static BigInteger Count(Node node) => node switch
    {
        Text => BigInteger.One,
        Sequence sequence => sequence.Size,
        Choice choice => choice.Size,
        Pick pick => pick.Size,
        _ => throw new InvalidOperationException(),
    };

    private static IEnumerable<string> Expand(Node node) => node switch
    {
        Text text => [text.Value],
        Sequence sequence => Expand(sequence.Parts, 0),
        Choice choice => choice.Options.SelectMany(Expand),
        Pick pick => Enumerable.Range(pick.Min, pick.Max - pick.Min + 1).SelectMany(many => pick.Orders(many)).SelectMany(order => Expand(pick.Joined(order))),
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
}
