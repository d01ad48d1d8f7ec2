using WebStudio.ShapesWorld;
using WebStudio.ShapesWorld.Captions;
using WebStudio.Trainer.Tokenizer;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Training;

/// <summary>
/// The letters of the word a Words caption asks for, as a target for the text encoder's state of each of that word's
/// tokens: slot k holds the word's k-th letter (0…25), or <see cref="NoLetter"/> past its end. "the word cat in red"
/// gives both of cat's pieces (c, at&lt;/w&gt;) the slots C, A, T, none.
/// </summary>
/// <remarks>
/// Why: the tokenizer splits a word into BPE pieces, so which letters a piece holds is nowhere in its id; the text
/// encoder must learn it, and through the UNet's loss alone it did not (a words leg drew rows of glyphs of about the
/// right length that did not spell, and no better for the words it trained on). Image models with subword text
/// encoders spell poorly for that reason, and character-aware ones well. A linear probe on each of the word's token
/// states, trained with the networks (<c>--spelling-aux</c>), makes every piece of the word carry the whole word's
/// spelling, slot by slot, where the UNet's cross-attention at each glyph's place can read it. The probe is a training
/// aid and is not exported.
/// </remarks>
internal sealed class SpellingTargets(IReadOnlyList<SpellingTargets.Label> labels, int scenes)
    : TokenProbeTargets<SpellingTargets.Label>(labels, scenes)
{
    public const int Slots = 4;
    public const int Classes = 27;
    public const int NoLetter = 26;

    /// <summary>One labelled token: scene index, token position, the word's letters by slot.</summary>
    public readonly record struct Label(int Scene, int Token, int[] Letters) : ITokenLabel;

    public static SpellingTargets Build(IReadOnlyList<string> captions, ShapesTokenizer tokenizer)
    {
        var labels = new List<Label>();
        for (var n = 0; n < captions.Count; n++)
        {
            if (WordOf(captions[n]) is not { } word)
            {
                continue;
            }

            var ids = tokenizer.Encode(captions[n]);
            var pieces = Pieces(tokenizer, word);
            var at = IndexOf(ids, pieces);
            if (at < 0)
            {
                continue;
            }

            var letters = Enumerable.Range(0, Slots).Select(k => k < word.Length ? char.ToUpperInvariant(word[k]) - 'A' : NoLetter).ToArray();
            labels.AddRange(Enumerable.Range(at, pieces.Length).Select(token => new Label(n, token, letters)));
        }

        return new SpellingTargets(labels, captions.Count);
    }

    /// <summary>Cross-entropy of the probe's [B,77,Slots·Classes] logits over the masked tokens and every slot.</summary>
    public static Tensor Loss(Tensor logits, Tensor targets, Tensor mask)
    {
        var perSlot = nn.functional.cross_entropy(logits.reshape(-1, Classes), targets.reshape(-1), reduction: nn.Reduction.None)
            .reshape(mask.shape[0], mask.shape[1], Slots).mean([2L]);
        return (perSlot * mask).sum() / mask.sum().clamp_min(1);
    }

    /// <summary>The word a caption asks to be written, or null.</summary>
    public static string? WordOf(string caption)
    {
        try
        {
            return PromptParser.Parse(caption).Groups.FirstOrDefault(g => g.Shape == ShapeKind.Word)?.Text;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The word's token ids, lower case as captions write it, without BOS, EOS and padding.</summary>
    private static int[] Pieces(ShapesTokenizer tokenizer, string word) =>
        [.. tokenizer.Encode(word.ToLowerInvariant()).Skip(1).TakeWhile(id => id != tokenizer.EndId)];

    private static int IndexOf(int[] ids, int[] pieces)
    {
        for (var i = 0; pieces.Length > 0 && i + pieces.Length <= ids.Length; i++)
        {
            if (ids.AsSpan(i, pieces.Length).SequenceEqual(pieces))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>[N, 77, Slots] letter classes, <see cref="NoLetter"/> where unlabelled.</summary>
    protected override Tensor DenseTargets(IReadOnlyList<Label> labels, int scenes)
    {
        var targets = Enumerable.Repeat((long)NoLetter, scenes * ShapesTokenizer.MaxLength * Slots).ToArray();
        foreach (var label in labels)
        {
            label.Letters.Select(l => (long)l).ToArray().CopyTo(targets, At(label) * Slots);
        }

        return tensor(targets, [scenes, ShapesTokenizer.MaxLength, Slots]).DetachFromDisposeScope();
    }
}
