using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.SdSynth;

/// <summary>The graphs of an SD folder (four; SDXL's five), and how each is built and stored.</summary>
public static class SynthComponents
{
    public const string TextEncoder = "text_encoder", UNet = "unet", VaeDecoder = "vae_decoder", VaeEncoder = "vae_encoder";
    public const string TextEncoder2 = "text_encoder_2";

    public static IReadOnlyList<string> All { get; } = [TextEncoder, UNet, VaeDecoder, VaeEncoder];

    /// <summary>SDXL's text_encoder_2 comes last, so each SD 1.x graph keeps its seed (and its bytes).</summary>
    public static IReadOnlyList<string> AllXl { get; } = [.. All, TextEncoder2];

    public static IReadOnlyList<string> For(SdArchitecture architecture) => architecture.IsXl ? AllXl : All;

    /// <summary>
    /// Adds <paramref name="component"/>'s inputs, nodes, outputs and parameters to <paramref name="graph"/>.
    /// </summary>
    public static void Build(string component, SynthGraph graph, SdArchitecture architecture)
    {
        switch (component)
        {
            case TextEncoder: SynthTextEncoder.Build(graph, architecture, architecture.FirstText); break;
            case TextEncoder2 when architecture.SecondText is { } second: SynthTextEncoder.Build(graph, architecture, second); break;
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
    /// goes external in fp16 too, so both precisions exercise the external-data loader. SDXL's text_encoder_2 is 2.8 GB
    /// in fp32, so it goes external as well.
    /// </summary>
    public static bool UsesExternalData(string component) => component is UNet or TextEncoder2;
}
