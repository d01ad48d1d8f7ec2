using WebStudio.Onnx;
using WebStudio.Trainer.Models;
using static TorchSharp.torch;
using TorchModules = TorchSharp.Modules;

namespace WebStudio.Trainer.Export;

/// <summary>Emits the ONNX form of trained TorchSharp layers into a <see cref="GraphBuilder"/>: each method
/// copies one module's parameters into initializers and repeats its forward computation op for op.</summary>
internal sealed class OnnxEmitter(GraphBuilder graph)
{
    public GraphBuilder Graph { get; } = graph;

    public static float[] Values(Tensor t) => t.detach().cpu().contiguous().to_type(ScalarType.Float32).data<float>().ToArray();

    public string Weight(string prefix, Tensor t) => Graph.Initializer(Graph.UniqueName(prefix), Values(t), t.shape);

    public string Weight(string prefix, float[] values, long[] dims) => Graph.Initializer(Graph.UniqueName(prefix), values, dims);

    public string Conv(string x, TorchModules.Conv2d conv, int stride = 1) =>
        Conv(x, conv, Values(conv.weight!), stride);

    /// <summary>Conv with replacement weight values (same shape), e.g. with permuted input channels.</summary>
    public string Conv(string x, TorchModules.Conv2d conv, float[] weight, int stride = 1)
    {
        var kernel = conv.weight!.shape[2];
        var w = Weight("conv_weight", weight, conv.weight.shape);
        var b = conv.bias is null ? null : Weight("conv_bias", conv.bias);
        return Graph.Conv(x, w, b, stride, padding: (int)(kernel / 2));
    }

    /// <summary>x @ Wᵀ + b: torch keeps Linear weights as [out,in], ONNX MatMul wants [in,out].</summary>
    public string Linear(string x, TorchModules.Linear linear)
    {
        var w = Weight("linear_weight", linear.weight!.t());
        var y = Graph.MatMul(x, w);
        return linear.bias is null ? y : Graph.Add(y, Weight("linear_bias", linear.bias));
    }

    public string GroupNorm(string x, TorchModules.GroupNorm norm, int groups) =>
        Graph.GroupNorm(x, Weight("gn_scale", norm.weight!), Weight("gn_bias", norm.bias!), groups, 1e-5f);

    public string LayerNorm(string x, TorchModules.LayerNorm norm) =>
        Graph.LayerNorm(x, Weight("ln_scale", norm.weight!), Weight("ln_bias", norm.bias!), -1, 1e-5f);

    public string SiLU(string x) => Graph.SiLU(x);

    public string FeedForward(string x, FeedForward ff) => Linear(Graph.Gelu(Linear(x, ff.Up)), ff.Down);

    /// <summary>Multi-head attention of <see cref="Attention.Forward"/>; <paramref name="mask"/> is an additive [N,M] value.</summary>
    public string Attention(string x, string context, Attention attention, string? mask = null)
    {
        var heads = attention.Heads;
        var width = attention.Query.weight!.shape[0];
        var headWidth = width / heads;
        var q = Graph.Transpose(Graph.Reshape(Linear(x, attention.Query), 0, 0, heads, headWidth), 0, 2, 1, 3);
        var k = Graph.Transpose(Graph.Reshape(Linear(context, attention.Key), 0, 0, heads, headWidth), 0, 2, 3, 1);
        var v = Graph.Transpose(Graph.Reshape(Linear(context, attention.Value), 0, 0, heads, headWidth), 0, 2, 1, 3);
        var scores = Graph.Mul(Graph.MatMul(q, k), Graph.Scalar((float)(1.0 / Math.Sqrt(headWidth))));
        if (mask is not null)
        {
            scores = Graph.Add(scores, mask);
        }

        var mixed = Graph.Transpose(Graph.MatMul(Graph.Softmax(scores, -1), v), 0, 2, 1, 3);
        return Linear(Graph.Reshape(mixed, 0, 0, -1), attention.Output);
    }
}
