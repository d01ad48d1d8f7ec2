using Microsoft.Extensions.Logging.Abstractions;
using WebStudio.Generation.Models;
using WebStudio.Generation.Previews;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Benchmarks;

/// <summary>A TAESD-sized preview decoder (DecoderTiny's real layers, 64 channels, 1.22 M random weights), written to a
/// temp folder and loaded as a model's vae_approx/ would be: its cost is TAESD's, whatever its weights draw.</summary>
internal sealed class SyntheticTaesd : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "webstudio-bench-taesd-" + Guid.NewGuid().ToString("N"));

    public SyntheticTaesd(ModelLoadOptions options)
    {
        var graph = TinyTaesd.BuildDecoder();
        Parameters = TinyTaesd.ParameterCount(graph);
        Decoder = TinyAutoencoderDecoder.Load(TinyTaesd.Write(_folder, graph), options, NullLogger.Instance);
    }

    public TinyAutoencoderDecoder Decoder { get; }

    public long Parameters { get; }

    public void Dispose()
    {
        Decoder.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
