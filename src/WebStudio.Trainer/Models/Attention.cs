using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Models;

/// <summary>Multi-head attention written as plain MatMul/Softmax so the ONNX export repeats it op for op.
/// Queries come from x [B,N,C]; keys and values from context [B,M,Cc] (x itself for self-attention).</summary>
internal sealed class Attention : nn.Module<Tensor, Tensor, Tensor>
{
    public readonly int Heads;
    public readonly Linear Query;
    public readonly Linear Key;
    public readonly Linear Value;
    public readonly Linear Output;

    public Attention(int width, int contextWidth, int heads) : base(nameof(Attention))
    {
        Heads = heads;
        Query = nn.Linear(width, width, hasBias: false);
        Key = nn.Linear(contextWidth, width, hasBias: false);
        Value = nn.Linear(contextWidth, width, hasBias: false);
        Output = nn.Linear(width, width);
        RegisterComponents();
    }

    /// <summary>Attention with an additive mask [N,M] (or null).</summary>
    public Tensor Forward(Tensor x, Tensor context, Tensor? mask)
    {
        var q = SplitHeads(Query.forward(x)).transpose(1, 2);        // [B,h,N,d]
        var k = SplitHeads(Key.forward(context)).permute(0, 2, 3, 1); // [B,h,d,M]
        var v = SplitHeads(Value.forward(context)).transpose(1, 2);    // [B,h,M,d]
        var headWidth = q.shape[3];
        var scores = q.matmul(k) * (float)(1.0 / Math.Sqrt(headWidth));
        if (mask is not null)
        {
            scores = scores + mask;
        }

        var mixed = scores.softmax(-1).matmul(v).transpose(1, 2);     // [B,N,h,d]
        return Output.forward(mixed.reshape(mixed.shape[0], mixed.shape[1], -1));
    }

    public override Tensor forward(Tensor x, Tensor context) => Forward(x, context, null);

    private Tensor SplitHeads(Tensor t) => t.reshape(t.shape[0], t.shape[1], Heads, t.shape[2] / Heads);
}

/// <summary>GELU MLP: Linear(C, 4C) → GELU (erf) → Linear(4C, C).</summary>
internal sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    public readonly Linear Up;
    public readonly Linear Down;

    public FeedForward(int width, int multiplier = 4) : base(nameof(FeedForward))
    {
        Up = nn.Linear(width, width * multiplier);
        Down = nn.Linear(width * multiplier, width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Down.forward(nn.functional.gelu(Up.forward(x)));
}
