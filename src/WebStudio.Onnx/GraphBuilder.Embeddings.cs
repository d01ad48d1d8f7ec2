using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Onnx;

/// <summary>Diffusion embeddings without weights of their own, shared by the tiny test UNet and SdSynth's SD 1.5 one.</summary>
public sealed partial class GraphBuilder
{
    /// <summary>
    /// Sinusoidal timestep embedding [N, dim] (cos then sin, as diffusers' flip_sin_to_cos) of any timestep
    /// tensor: rank 0 or [N], int64 or float. Computed in float32 so large timesteps keep their precision.
    /// </summary>
    public string TimestepEmbedding(string timestep, int dim)
    {
        var half = dim / 2;
        var frequencies = new float[half];
        for (var i = 0; i < half; i++)
        {
            frequencies[i] = MathF.Exp(-MathF.Log(10000f) * i / half);
        }

        var t = Reshape(Cast(timestep, DataType.Float), -1);
        var arguments = Mul(Unsqueeze(t, 1), Initializer(UniqueName("time_frequencies"), frequencies, [half], DataType.Float));
        var embedding = Concat(1, Cos(arguments), Sin(arguments));
        return FloatType == DataType.Float ? embedding : Cast(embedding, FloatType);
    }
}
