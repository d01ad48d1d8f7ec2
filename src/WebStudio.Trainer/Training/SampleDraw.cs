using static TorchSharp.torch;

namespace WebStudio.Trainer.Training;

/// <summary>Which samples a training batch takes: uniformly, or, with weights per label (caption category, edit
/// kind), each sample in proportion to its label's weight (unnamed labels weigh 1).</summary>
internal sealed class SampleDraw
{
    private readonly int _count;
    private readonly Tensor? _weights;

    private SampleDraw(int count, Tensor? weights) => (_count, _weights) = (count, weights);

    /// <summary>The draw over <paramref name="count"/> samples; <paramref name="labels"/> (one per sample) are read only
    /// when there are weights. Says in the log which weights it uses.</summary>
    public static SampleDraw Create<TLabel>(string what, int count, Func<IReadOnlyList<TLabel>> labels, IReadOnlyDictionary<TLabel, double>? weights)
        where TLabel : notnull
    {
        if (weights is not { Count: > 0 })
        {
            return new SampleDraw(count, null);
        }

        Console.WriteLine($"{what} weights {string.Join(", ", weights.Select(kv => $"{kv.Key} {kv.Value:G3}"))}");
        return new SampleDraw(count, tensor(labels().Select(l => (float)weights.GetValueOrDefault(l, 1.0)).ToArray()));
    }

    /// <summary>The indices of one batch.</summary>
    public Tensor Next(int batchSize, Generator generator) => _weights is null
        ? randint(0, _count, [batchSize], dtype: ScalarType.Int64, generator: generator)
        : multinomial(_weights, batchSize, replacement: true, generator: generator);
}
