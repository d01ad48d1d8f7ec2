using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace WebStudio.Generation.Models;

/// <summary>
/// What one graph input or output looks like, read from session metadata: exporters differ in element types
/// (int32/int64 ids, float/float16/int64 timesteps), in rank (a rank-0 timestep) and in fixed or symbolic batch.
/// </summary>
public sealed record TensorKind(string Name, TensorElementType ElementType, int[] Dimensions)
{
    public int Rank => Dimensions.Length;

    /// <summary>True when the first dimension is symbolic (-1), so any batch size is accepted.</summary>
    public bool HasDynamicBatch => Rank > 0 && Dimensions[0] < 0;

    /// <summary>The fixed size of dimension <paramref name="axis"/>, or null when it is symbolic.</summary>
    public int? FixedDimension(int axis) => axis < Rank && Dimensions[axis] >= 0 ? Dimensions[axis] : null;

    public static TensorKind From(string name, NodeMetadata metadata) =>
        new(name, metadata.ElementDataType, metadata.Dimensions.ToArray());

    public override string ToString() =>
        $"{Name}: {ElementType}[{string.Join(",", Dimensions.Select(d => d < 0 ? "?" : d.ToString()))}]";
}
