using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.SdSynth;

/// <summary>The four graphs of an SD folder, and how each is built and stored.</summary>
public static class SynthComponents
{
    public const string TextEncoder = "text_encoder", UNet = "unet", VaeDecoder = "vae_decoder", VaeEncoder = "vae_encoder";

    public static IReadOnlyList<string> All { get; } = [TextEncoder, UNet, VaeDecoder, VaeEncoder];

    /// <summary>
    /// Adds <paramref name="component"/>'s inputs, nodes, outputs and parameters to <paramref name="graph"/>.
    /// </summary>
    public static void Build(string component, SynthGraph graph, SdArchitecture architecture)
    {
        switch (component)
        {
            case TextEncoder: SynthTextEncoder.Build(graph, architecture); break;
            case UNet: SynthUNet.Build(graph, architecture); break;
            case VaeDecoder: SynthVae.BuildDecoder(graph, architecture); break;
            case VaeEncoder: SynthVae.BuildEncoder(graph, architecture); break;
            default: throw new ArgumentOutOfRangeException(nameof(component), component, "Unknown SD component.");
        }
    }

    /// <summary>Parameter count of a component, from building its graph without generating any weight.</summary>
    public static long CountParameters(string component, SdArchitecture architecture, DataType type = DataType.Float)
    {
        using var sink = WeightSink.CountOnly(type);
        Build(component, new SynthGraph(new Onnx.GraphBuilder(component, type), sink), architecture);
        return sink.Parameters;
    }

    /// <summary>
    /// optimum keeps graphs under protobuf's 2 GB inline and moves the UNet's weights to model.onnx_data; the UNet
    /// goes external in fp16 too, so both precisions exercise the external-data loader.
    /// </summary>
    public static bool UsesExternalData(string component) => component == UNet;
}
