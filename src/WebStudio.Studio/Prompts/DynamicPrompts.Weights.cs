using System.Numerics;

namespace WebStudio.Studio.Prompts;

// sd-dynamic-prompts' weights ({0.5::summer|0.1::autumn}) in the random draw: each combination is drawn in proportion
// to the product of the weights of the options that make it, so that with no weight written each is as likely as any
// other, as before, and {3::a|b} draws a three times in four.
public static partial class DynamicPrompts
{
    private static double WeightOf(IReadOnlyList<double>? weights, int option) => weights?[option] ?? 1;

    // One draw's numbers of combinations, by the weights; the sums it needs are found once per draw.
    private sealed class WeightedDraw(Random random)
    {
        private readonly Dictionary<Node, bool> _weighted = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<Node, double> _masses = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<Pick, double[][]> _suffixes = new(ReferenceEqualityComparer.Instance);

        // Whether any option under the node carries a weight: elsewhere each text is as likely as any other.
        public bool Weighted(Node node)
        {
            if (!_weighted.TryGetValue(node, out var weighted))
            {
                _weighted[node] = weighted = node switch
                {
                    Sequence sequence => sequence.Parts.Any(Weighted),
                    Choice choice => choice.Weights is not null || choice.Options.Any(Weighted),
                    Pick pick => pick.Weights is not null || pick.Options.Any(Weighted),
                    _ => false,
                };
            }

            return weighted;
        }

        // The sum, over the node's texts, of the products of the weights that make each (its count where none is written).
        public double Mass(Node node)
        {
            if (!_masses.TryGetValue(node, out var mass))
            {
                _masses[node] = mass = node switch
                {
                    Text => 1,
                    Sequence sequence => sequence.Parts.Aggregate(1.0, (product, part) => product * Mass(part)),
                    Choice choice => Enumerable.Range(0, choice.Options.Count).Sum(i => WeightOf(choice.Weights, i) * Mass(choice.Options[i])),
                    Pick pick => Enumerable.Range(pick.Min, pick.Max - pick.Min + 1).Sum(many => (double)Factorial(many) * Suffix(pick)[0][many]),
                    _ => throw new InvalidOperationException(),
                };
            }

            return mass;
        }

        // The number (as Nth takes it) of one combination, drawn by the weights.
        public BigInteger Number(Node node)
        {
            if (!Weighted(node))
            {
                return Below(Count(node), random);
            }

            switch (node)
            {
                case Sequence sequence:
                    return sequence.Parts.Aggregate(BigInteger.Zero, (number, part) => number * Count(part) + Number(part));
                case Choice choice:
                    var option = Drawn(choice.Options.Count, i => WeightOf(choice.Weights, i) * Mass(choice.Options[i]));
                    return choice.Options.Take(option).Aggregate(BigInteger.Zero, (before, o) => before + o.Size) + Number(choice.Options[option]);
                case Pick pick:
                    return Number(pick);
            }

            throw new InvalidOperationException();
        }

        // A pick's arrangement: how many, which options (a set is drawn in proportion to the product of its options'
        // weights), in an order drawn evenly, each option's text drawn in turn.
        private BigInteger Number(Pick pick)
        {
            var suffix = Suffix(pick);
            var many = pick.Min + Drawn(pick.Max - pick.Min + 1, m => (double)Factorial(pick.Min + m) * suffix[0][pick.Min + m]);
            var chosen = new List<int>(many);
            for (var i = 0; chosen.Count < many; i++)
            {
                // Take option i with the share of the sets that take it among those still open to the rest; where
                // only as many options are left as places, each is taken (not left to rounding).
                var left = many - chosen.Count;
                var taking = WeightOf(pick.Weights, i) * Mass(pick.Options[i]) * suffix[i + 1][left - 1];
                if (pick.Options.Count - i == left || random.NextDouble() * suffix[i][left] < taking)
                {
                    chosen.Add(i);
                }
            }

            var order = chosen.ToArray();
            random.Shuffle(order);
            var before = Enumerable.Range(pick.Min, many - pick.Min).Aggregate(BigInteger.Zero, (sum, m) => sum + pick.Arrangements(m));
            var texts = order.Aggregate(BigInteger.Zero, (number, o) => number * pick.Options[o].Size + Number(pick.Options[o]));
            return before + pick.RankOf(order) + texts;
        }

        // suffix[i][j]: the sum, over every j options from the i-th on, of the products of their masses by weight.
        private double[][] Suffix(Pick pick)
        {
            if (!_suffixes.TryGetValue(pick, out var suffix))
            {
                var count = pick.Options.Count;
                suffix = new double[count + 1][];
                suffix[count] = new double[pick.Max + 1];
                suffix[count][0] = 1;
                for (var i = count - 1; i >= 0; i--)
                {
                    var mass = WeightOf(pick.Weights, i) * Mass(pick.Options[i]);
                    suffix[i] = [.. suffix[i + 1]];
                    for (var j = 1; j <= pick.Max; j++)
                    {
                        suffix[i][j] += mass * suffix[i + 1][j - 1];
                    }
                }

                _suffixes[pick] = suffix;
            }

            return suffix;
        }

        // One of `count` things, each in proportion to its share.
        private int Drawn(int count, Func<int, double> share)
        {
            var shares = Enumerable.Range(0, count).Select(share).ToArray();
            var at = random.NextDouble() * shares.Sum();
            for (var i = 0; i < count; i++)
            {
                at -= shares[i];
                if (at < 0)
                {
                    return i;
                }
            }

            // Rounding left it past the end: the last with a share.
            return Array.FindLastIndex(shares, s => s > 0);
        }
    }
}
