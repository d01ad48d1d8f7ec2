using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Models;

/// <summary>
/// vae_encoder/model.onnx: sample [B,3,H,W] → latent_sample (diffusers script, OnnxStack) or latent_parameters
/// (optimum: mean and log-variance stacked on the channel axis, sampled here).
/// </summary>
public sealed class VaeEncoder : IDisposable
{
    private readonly OnnxComponent _graph;
    private readonly TensorKind _sample;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public VaeEncoder(OnnxComponent graph, VaeTiling? tiling = null)
    {
        _graph = graph;
        Tiling = tiling;
        _sample = graph.RequireInput("sample");
        graph.RequireRank(_sample, 4);
        var output = graph.RequireOutput("latent_sample", "latent_parameters");
        OutputsParameters = output.Name == "latent_parameters";
        _inputNames = [_sample.Name];
        _outputNames = [output.Name];
    }

    /// <summary>Where set, images larger than one tile are encoded tile by tile (<see cref="VaeTiling"/>).</summary>
    public VaeTiling? Tiling { get; }

    /// <summary>True for optimum exports, whose output is mean and log-variance rather than a sample.</summary>
    public bool OutputsParameters { get; }

    /// <summary>Encodes images in [-1,1] to (unscaled) latents. Given parameters, draws from the posterior with
    /// <paramref name="noise"/>, or without it returns the mean (the mode).</summary>
    public Latents Encode(Latents images, GaussianNoise? noise, RunClock? clock)
    {
        // Tiles blend the raw output, the posterior's moments for optimum exports, and the sample is drawn once from them.
        var raw = Tiling is { } tiling && tiling.AppliesToImage(images.Height, images.Width)
            ? tiling.Encode(images, tile => EncodeWhole(tile, clock))
            : EncodeWhole(images, clock);
        return OutputsParameters ? SampleFromParameters(raw, noise) : raw;
    }

    private Latents EncodeWhole(Latents images, RunClock? clock)
    {
        using var input = OrtTensors.FromFloats(images.Data, [images.Batch, images.Channels, images.Height, images.Width], _sample);
        using var outputs = _graph.Run(_inputNames, [input], _outputNames, clock);
        var shape = OrtTensors.ShapeOf(outputs[0]);
        var data = OrtTensors.ToFloats(outputs[0], _outputNames[0]);
        return new Latents(data, (int)shape[0], (int)shape[1], (int)shape[2], (int)shape[3]);
    }

    // diffusers' DiagonalGaussianDistribution: mean, logvar = chunk(2, dim=1); logvar clamped to [-30, 20].
    private static Latents SampleFromParameters(Latents parameters, GaussianNoise? noise)
    {
        var channels = parameters.Channels / 2;
        var plane = parameters.Height * parameters.Width;
        var result = Latents.Zeros(parameters.Batch, channels, parameters.Height, parameters.Width);
        for (var b = 0; b < parameters.Batch; b++)
        {
            for (var c = 0; c < channels; c++)
            {
                var meanOffset = (b * parameters.Channels + c) * plane;
                var logVarOffset = (b * parameters.Channels + c + channels) * plane;
                var outOffset = (b * channels + c) * plane;
                for (var i = 0; i < plane; i++)
                {
                    var mean = parameters.Data[meanOffset + i];
                    var std = MathF.Exp(0.5f * Math.Clamp(parameters.Data[logVarOffset + i], -30f, 20f));
                    result.Data[outOffset + i] = noise is null ? mean : mean + std * noise.NextGaussian();
                }
            }
        }

        return result;
    }

    public void Dispose() => _graph.Dispose();
}
