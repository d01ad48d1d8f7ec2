using WebStudio.Trainer.Tokenizer;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Training;

/// <summary>A label on one token of one caption, for a probe on the text encoder's states.</summary>
internal interface ITokenLabel
{
    int Scene { get; }

    int Token { get; }
}

/// <summary>
/// The labels a probe on the text encoder's token states is trained on (<see cref="PlacementTargets"/>,
/// <see cref="SpellingTargets"/>), and their dense form [N, 77, …] with its mask [N, 77], built on first use: only
/// training needs it (≈ 37 MB for 40,000 scenes of placement), and the GPU pack writes the labels alone.
/// </summary>
internal abstract class TokenProbeTargets<TLabel> where TLabel : ITokenLabel
{
    private readonly Lazy<(Tensor Targets, Tensor Mask)> _dense;

    protected TokenProbeTargets(IReadOnlyList<TLabel> labels, int scenes)
    {
        Labels = labels;
        _dense = new Lazy<(Tensor, Tensor)>(() => (DenseTargets(labels, scenes), DenseMask(labels, scenes)));
    }

    public IReadOnlyList<TLabel> Labels { get; }

    /// <summary>[N, 77, …] targets per token, a neutral value where unlabelled.</summary>
    public Tensor Targets => _dense.Value.Targets;

    /// <summary>[N, 77] 1 on labelled tokens.</summary>
    public Tensor Mask => _dense.Value.Mask;

    /// <summary>How many captions have labels.</summary>
    public int Labelled => Labels.Select(l => l.Scene).Distinct().Count();

    /// <summary>The targets of every token of every scene; built on first use, maybe inside a training step's dispose
    /// scope, so it must be detached from it.</summary>
    protected abstract Tensor DenseTargets(IReadOnlyList<TLabel> labels, int scenes);

    /// <summary>The flat index of a label's token in [N, 77].</summary>
    protected static int At(TLabel label) => (label.Scene * ShapesTokenizer.MaxLength) + label.Token;

    private static Tensor DenseMask(IReadOnlyList<TLabel> labels, int scenes)
    {
        var mask = new float[scenes * ShapesTokenizer.MaxLength];
        foreach (var label in labels)
        {
            mask[At(label)] = 1;
        }

        return tensor(mask, [scenes, ShapesTokenizer.MaxLength]).DetachFromDisposeScope();
    }
}
