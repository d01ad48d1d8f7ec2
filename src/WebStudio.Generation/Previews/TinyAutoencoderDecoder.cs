using Microsoft.Extensions.Logging;
using WebStudio.Generation.Models;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Previews;

/// <summary>
/// A tiny autoencoder's decoder (madebyollin's TAESD or TAESDXL, about 1.2 M parameters) as optimum exports diffusers'
/// AutoencoderTiny: latent_sample [B,4,h,w] → sample [B,3,8h,8w]. Two facts from diffusers' autoencoder_tiny.py and
/// vae.py decide how it is fed and read: its scaling_factor is 1.0, so it takes the latents as the UNet produces them
/// (not divided by the full VAE's scaling factor, as the full decoder takes them); and DecoderTiny ends with
/// x.mul(2).sub(1), so its pixels are in [-1, 1] like the full VAE's.
/// </summary>
public sealed class TinyAutoencoderDecoder : IDisposable
{
    /// <summary>The folder beside unet/ that holds a model's own tiny decoder (its model.onnx).</summary>
    public const string FolderName = "vae_approx";

    private readonly OnnxComponent _graph;
    private readonly TensorKind _latent;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    private TinyAutoencoderDecoder(OnnxComponent graph)
    {
        _graph = graph;
        _latent = graph.RequireInput("latent_sample");
        graph.RequireRank(_latent, 4);
        var sample = graph.RequireOutput("sample");
        if (_latent.FixedDimension(1) is { } channels and not 4)
        {
            throw new ModelLoadException($"{graph.DisplayName}: input '{_latent.Name}' takes {channels} latent channels, not 4 ({_latent}).");
        }

        if (sample.Rank != 4 || sample.FixedDimension(1) is { } colours and not 3)
        {
            throw new ModelLoadException($"{graph.DisplayName}: output '{sample.Name}' must be RGB pixels [B,3,H,W] ({sample}).");
        }

        _inputNames = [_latent.Name];
        _outputNames = [sample.Name];
    }

    /// <summary>The graph's path, as its errors name it.</summary>
    public string DisplayName => _graph.DisplayName;

    /// <summary>Loads <paramref name="path"/> (a model.onnx), or throws <see cref="ModelLoadException"/> naming it.</summary>
    public static TinyAutoencoderDecoder Load(string path, ModelLoadOptions options, ILogger logger)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"The tiny preview decoder {path} does not exist.");
        }

        var graph = OnnxComponent.LoadFile(path, path, options, logger);
        try
        {
            return new TinyAutoencoderDecoder(graph);
        }
        catch
        {
            graph.Dispose();
            throw;
        }
    }

    /// <summary>Sample <paramref name="sampleIndex"/> of latents as the UNet produces them (the scheduler's x0 or
    /// current sample), decoded to a full-size RGB frame.</summary>
    public RgbFrame Decode(Latents latents, int sampleIndex = 0)
    {
        var sample = latents.Slice(sampleIndex);
        using var input = OrtTensors.FromFloats(sample.Data, [1, sample.Channels, sample.Height, sample.Width], _latent);
        using var outputs = _graph.Run(_inputNames, [input], _outputNames, clock: null);
        var shape = OrtTensors.ShapeOf(outputs[0]);
        var (height, width) = ((int)shape[2], (int)shape[3]);
        var rgb = new byte[3 * width * height];
        ImageTensors.ToInterleavedRgb(OrtTensors.ReadFloats(outputs[0], _outputNames[0]), height, width, rgb);
        return new RgbFrame(rgb, width, height);
    }

    public void Dispose() => _graph.Dispose();
}
