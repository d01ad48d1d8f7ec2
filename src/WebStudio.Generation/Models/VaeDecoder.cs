using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Models;

/// <summary>Reads a decoder output ([B,3,H,W] values in [-1,1]) while ONNX Runtime still holds it.</summary>
public delegate T DecodedPixelsReader<out T>(ReadOnlySpan<float> pixels, int batch, int channels, int height, int width);

/// <summary>vae_decoder/model.onnx: latent_sample [B,4,h,w] → sample [B,3,H,W] in [-1,1].</summary>
public sealed class VaeDecoder : IDisposable
{
    private readonly OnnxComponent _graph;
    private readonly TensorKind _latent;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public VaeDecoder(OnnxComponent graph, VaeTiling? tiling = null)
    {
        _graph = graph;
        Tiling = tiling;
        _latent = graph.RequireInput("latent_sample");
        graph.RequireRank(_latent, 4);
        _inputNames = [_latent.Name];
        _outputNames = [graph.RequireOutput("sample").Name];
    }

    /// <summary>Where set, latents larger than one tile are decoded tile by tile (<see cref="VaeTiling"/>).</summary>
    public VaeTiling? Tiling { get; }

    public bool HasDynamicBatch => _latent.HasDynamicBatch;

    /// <summary>The element type the decoder computes in (float32 for an SDXL float16 VAE that is upcast).</summary>
    public Microsoft.ML.OnnxRuntime.Tensors.TensorElementType ElementType => _latent.ElementType;

    /// <summary>Decodes already-unscaled latents (divided by the scaling factor) to an RGB tensor.</summary>
    public Latents Decode(Latents latents, RunClock? clock) =>
        Decode(latents, clock, static (pixels, batch, channels, height, width) => new Latents(pixels.ToArray(), batch, channels, height, width));

    /// <summary>Decodes already-unscaled latents and hands the pixels to <paramref name="read"/> in place: a final image
    /// needs no managed copy of the decoder's output, which is the largest tensor of a run.</summary>
    public T Decode<T>(Latents latents, RunClock? clock, DecodedPixelsReader<T> read)
    {
        if (Tiling is { } tiling && tiling.Applies(latents.Height, latents.Width))
        {
            var pixels = tiling.Decode(latents, tile => DecodeWhole(tile, clock, static (p, b, c, h, w) => new Latents(p.ToArray(), b, c, h, w)));
            return read(pixels.Data, pixels.Batch, pixels.Channels, pixels.Height, pixels.Width);
        }

        return DecodeWhole(latents, clock, read);
    }

    private T DecodeWhole<T>(Latents latents, RunClock? clock, DecodedPixelsReader<T> read)
    {
        using var input = OrtTensors.FromFloats(latents.Data, [latents.Batch, latents.Channels, latents.Height, latents.Width], _latent);
        using var outputs = _graph.Run(_inputNames, [input], _outputNames, clock);
        var shape = OrtTensors.ShapeOf(outputs[0]);
        return read(OrtTensors.ReadFloats(outputs[0], _outputNames[0]), (int)shape[0], (int)shape[1], (int)shape[2], (int)shape[3]);
    }

    public void Dispose() => _graph.Dispose();
}
