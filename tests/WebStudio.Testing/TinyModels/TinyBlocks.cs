namespace WebStudio.Testing.TinyModels;

/// <summary>Transformer and diffusion building blocks shared by the tiny graphs.</summary>
public static class TinyBlocks
{
    /// <summary>
    /// Single-head scaled dot-product attention: query [B, Lq, dim] attends over context [B, Lk, contextDim].
    /// <paramref name="causal"/> masks future positions (CLIP's text encoder is causal).
    /// </summary>
    public static string Attention(GraphBuilder g, string query, string context, int dim, int contextDim, int? causal = null)
    {
        var q = g.Linear(query, dim, dim, bias: false, name: "to_q");
        var k = g.Linear(context, contextDim, dim, bias: false, name: "to_k");
        var v = g.Linear(context, contextDim, dim, bias: false, name: "to_v");
        var scores = g.Mul(g.MatMul(q, g.Transpose(k, 0, 2, 1)), g.Scalar(1f / MathF.Sqrt(dim)));
        if (causal is int length)
        {
            // -10000 rather than -inf keeps the mask representable in float16.
            var mask = new float[length * length];
            for (var row = 0; row < length; row++)
            {
                for (var column = row + 1; column < length; column++)
                {
                    mask[row * length + column] = -10000f;
                }
            }

            scores = g.Add(scores, g.Initializer(g.UniqueName("causal_mask"), mask, [length, length]));
        }

        return g.Linear(g.MatMul(g.Softmax(scores), v), dim, dim, name: "to_out");
    }

    /// <summary>GroupNorm → SiLU → conv, the pre-activation unit of diffusers' ResNet blocks.</summary>
    public static string NormActConv(GraphBuilder g, string x, int inChannels, int outChannels, int groups) =>
        g.Conv2d(g.SiLU(g.GroupNorm(x, inChannels, groups)), inChannels, outChannels);
}
