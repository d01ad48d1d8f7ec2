namespace WebStudio.Onnx;

/// <summary>
/// How <see cref="ModelWriter"/> moves large initializers out of model.onnx into one file beside it,
/// the layout ONNX uses for models over the 2 GB protobuf limit.
/// </summary>
/// <param name="FileName">Data file name, relative to the model: "model.onnx_data" (optimum) or "weights.pb" (diffusers script).</param>
/// <param name="SizeThreshold">Tensors with at least this many bytes go to the file; smaller ones stay inline (no file when none qualifies).</param>
/// <param name="Alignment">When above zero, each tensor's offset is a multiple of it (4096 lets ORT memory-map pages).</param>
public sealed record ExternalDataOptions(string FileName = ExternalDataOptions.OptimumFileName, int SizeThreshold = 1024, int Alignment = 0)
{
    public const string OptimumFileName = "model.onnx_data";
    public const string DiffusersScriptFileName = "weights.pb";

    public static ExternalDataOptions Optimum { get; } = new(OptimumFileName);
    public static ExternalDataOptions DiffusersScript { get; } = new(DiffusersScriptFileName);
}
