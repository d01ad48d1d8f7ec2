using System.Globalization;

namespace WebStudio.Studio.Options;

/// <summary>The "Worker" section of appsettings.json.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>CUDA device ids, comma-separated (e.g. "0,1"): one worker loop per device in this process, each with
    /// its own engine and ONNX sessions on that device. Empty: <see cref="QueueOptions.Workers"/> loops on
    /// <see cref="GenerationOptions.CudaDeviceId"/>, as one process per device.</summary>
    public string? Devices { get; set; }

    /// <summary><see cref="Devices"/> as ids, each once, in the order given.</summary>
    public IReadOnlyList<int> DeviceIds =>
        (Devices ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(id => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var device)
                ? device
                : throw new FormatException($"Worker:Devices lists '{id}', which is not a CUDA device id (0, 1, ...)."))
            .Distinct()
            .ToList();
}
