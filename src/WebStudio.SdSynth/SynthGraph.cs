using Onnx;
using WebStudio.Onnx;

namespace WebStudio.SdSynth;

/// <summary>
/// A <see cref="GraphBuilder"/> whose layers take their parameters from a <see cref="WeightSink"/> (streamed,
/// counted) instead of holding them in the graph. Parameters get diffusers/transformers names such as
/// "down_blocks.0.resnets.0.conv1.weight". Helper constants (shapes, masks) stay in the builder and are not counted.
/// </summary>
public sealed class SynthGraph(GraphBuilder builder, WeightSink weights)
{
    public GraphBuilder G { get; } = builder;

    public WeightSink Weights { get; } = weights;

    /// <summary>x[..., in] → x[..., out]: MatMul with an [in, out] weight (torch.onnx's layout) plus a bias.</summary>
    public string Linear(string x, int inFeatures, int outFeatures, string name, bool bias = true)
    {
        var bound = 1f / MathF.Sqrt(inFeatures);
        var y = G.MatMul(x, Parameter($"{name}.weight", [inFeatures, outFeatures], bound));
        return bias ? G.Add(y, Parameter($"{name}.bias", [outFeatures], bound)) : y;
    }

    /// <summary>NCHW convolution; <paramref name="pads"/> is ONNX's [top, left, bottom, right], default "same".</summary>
    public string Conv(string x, int inChannels, int outChannels, string name, int kernel = 3, int stride = 1, long[]? pads = null)
    {
        var fanIn = inChannels * kernel * kernel;
        var bound = 1f / MathF.Sqrt(fanIn);
        var weight = Parameter($"{name}.weight", [outChannels, inChannels, kernel, kernel], bound);
        var bias = Parameter($"{name}.bias", [outChannels], bound);
        var half = kernel / 2;
        return G.Op("Conv", [x, weight, bias],
            Attr.Ints("strides", stride, stride),
            Attr.Ints("pads", pads ?? [half, half, half, half]),
            Attr.Ints("kernel_shape", kernel, kernel));
    }

    public string GroupNorm(string x, int channels, int groups, float epsilon, string name)
    {
        var scale = Filled($"{name}.weight", [channels], 1f);
        var shift = Filled($"{name}.bias", [channels], 0f);
        return G.GroupNorm(x, scale, shift, groups, epsilon);
    }

    public string LayerNorm(string x, int width, string name, float epsilon = 1e-5f)
    {
        var scale = Filled($"{name}.weight", [width], 1f);
        var shift = Filled($"{name}.bias", [width], 0f);
        return G.LayerNorm(x, scale, shift, -1, epsilon);
    }

    /// <summary>A weight table (embeddings) with small values, as N(0, 0.02)-initialised tables have.</summary>
    public string Table(string name, long rows, long width) => Parameter(name, [rows, width], 0.02f * MathF.Sqrt(3f));

    /// <summary>
    /// Multi-head scaled dot-product attention, written out as exporters emit it (MatMul, Softmax, Reshape,
    /// Transpose): query [B, L, dim] over context [B, Lk, contextDim]. <paramref name="mask"/> is added to the scores.
    /// </summary>
    public string Attention(string query, string context, int dim, int contextDim, int heads, string name,
        string q = "to_q", string k = "to_k", string v = "to_v", string output = "to_out.0", bool qkvBias = false, string? mask = null)
    {
        var headWidth = dim / heads;
        var qs = SplitHeads(Linear(query, dim, dim, $"{name}.{q}", qkvBias), heads, headWidth, [0, 2, 1, 3]);
        var ks = SplitHeads(Linear(context, contextDim, dim, $"{name}.{k}", qkvBias), heads, headWidth, [0, 2, 3, 1]);
        var vs = SplitHeads(Linear(context, contextDim, dim, $"{name}.{v}", qkvBias), heads, headWidth, [0, 2, 1, 3]);
        var scores = G.Mul(G.MatMul(qs, ks), G.Scalar(1f / MathF.Sqrt(headWidth)));
        if (mask is not null)
        {
            scores = G.Add(scores, mask);
        }

        var merged = G.Reshape(G.Transpose(G.MatMul(G.Softmax(scores), vs), 0, 2, 1, 3), 0, 0, dim);
        return Linear(merged, dim, dim, $"{name}.{output}");
    }

    /// <summary>[B, C, H, W] → [B, H·W, C], the sequence the attention blocks work on.</summary>
    public string ToSequence(string x, int channels) => G.Transpose(G.Reshape(x, 0, channels, -1), 0, 2, 1);

    /// <summary>[B, H·W, C] → the shape of <paramref name="like"/> ([B, C, H, W]).</summary>
    public string FromSequence(string sequence, string like) => G.ReshapeTo(G.Transpose(sequence, 0, 2, 1), G.Shape(like));

    private string SplitHeads(string x, int heads, int headWidth, long[] perm) =>
        G.Transpose(G.Reshape(x, 0, 0, heads, headWidth), perm);

    private string Parameter(string name, long[] dims, float bound)
    {
        var unique = G.UniqueName(name);
        Weights.Uniform(unique, dims, bound);
        return unique;
    }

    private string Filled(string name, long[] dims, float value)
    {
        var unique = G.UniqueName(name);
        Weights.Filled(unique, dims, value);
        return unique;
    }

    /// <summary>The graph with the sink's tensors as its initializers.</summary>
    public ModelProto Build()
    {
        var model = G.Build();
        model.Graph.Initializer.AddRange(Weights.Tensors);
        return model;
    }
}
