using WebStudio.SdSynth;

namespace WebStudio.Benchmarks;

/// <summary>
/// What the sd15 and sdxl benchmarks differ in: the synthetic architecture they write and run, their defaults, and
/// the published CPU figures printed beside theirs. Everything else (loads, runs, tables) is SdScaleBenchmark's.
/// </summary>
internal sealed record SdScale(
    string Title, SdArchitecture Architecture, int DefaultSteps, string DefaultSizes, string DefaultPrecisions,
    int AnchorSize, IReadOnlyList<(string Source, string Hardware, double StepSeconds)> Anchors,
    IReadOnlyList<(string Source, string Hardware, int Steps, string ImageSeconds)> GpuAnchors)
{
    public static SdScale Sd15 { get; } = new(
        "SD 1.5 scale (synthetic SD 1.5 folders: real architecture and sizes, random weights)",
        SdArchitecture.Sd15, DefaultSteps: 4, DefaultSizes: "256,512", DefaultPrecisions: "fp32,fp16", AnchorSize: 512,
        [
            ("OpenVINO, static shapes (published)", "32 Sapphire Rapids cores", 0.24),
            ("PyTorch fp32 (published)", "32 Sapphire Rapids cores", 1.6),
        ],
        [
            // Both on graphs optimised for SD by ORT's transformer tools (fused attention and GroupNorm, NHWC).
            ("ONNX Runtime CUDA, fp16 (published)", "A100", 50, "1.04–1.11"),
            ("TensorRT, fp16 (published)", "H100", 50, "0.75"),
        ]);

    /// <summary>
    /// SDXL base in fp16 (as it ships), 2 steps: a step at 1024² takes minutes on a few CPU cores. On ONNX Runtime's
    /// CPU provider the loaded model holds 2.3× its 6.9 GB of fp16 files (float32 copies of the weights, it seems):
    /// 512² peaked at 19 GB RSS, and 1024² was killed at 23.9 GB on a 24 GB machine, so give 1024² more memory
    /// (or pass --sizes 512).
    /// </summary>
    public static SdScale Sdxl { get; } = new(
        "SDXL scale (synthetic SDXL 1.0 base folders: real architecture and sizes, random weights)",
        SdArchitecture.Sdxl, DefaultSteps: 2, DefaultSizes: "512,1024", DefaultPrecisions: "fp16", AnchorSize: 1024, [], []);
}
