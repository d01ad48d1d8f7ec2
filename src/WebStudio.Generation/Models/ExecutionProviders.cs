using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace WebStudio.Generation.Models;

/// <summary>
/// Chooses the best provider that is configured and actually works (TensorRT, then CUDA, then CPU), and says which
/// and why. A GPU provider fails in two ways: its library cannot load (on a CPU-only build, or with CUDA, cuDNN or
/// TensorRT missing), found by probing the library before ORT does; or creating a session throws. Each falls back
/// to the next; the verdict is kept per provider for the process.
/// </summary>
public static class ExecutionProviders
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, string> Failures = new(StringComparer.Ordinal);
    private static readonly HashSet<string> Probed = new(StringComparer.Ordinal);
    private static readonly HashSet<(string Provider, int Device)> Checked = [];

    public const string TensorRt = "TensorRT", Cuda = "CUDA", Cpu = "CPU";

    /// <summary>Creates a session on the best provider. Returns the provider actually used.</summary>
    internal static (InferenceSession Session, string Provider) CreateSession(
        string modelPath, ModelLoadOptions options, ILogger logger, byte[]? modelBytes = null, long weightBytes = 0)
    {
        var declined = new List<string>();
        foreach (var provider in Preference(options))
        {
            if (Usable(provider) is { } failure)
            {
                declined.Add($"{provider} unavailable: {failure}");
                continue;
            }

            SessionOptions? gpuOptions = null;
            try
            {
                gpuOptions = BaseOptions(options, weightBytes);
                AppendProvider(gpuOptions, provider, options);
                var session = Open(modelPath, modelBytes, gpuOptions, ComputeThreads.ForSession(options.Compute, provider));
                LogOnce(logger, provider, Describe(provider, options, declined));
                return (session, provider);
            }
            catch (Exception ex) when (IsProviderFailure(ex))
            {
                declined.Add($"{provider} unavailable: {Fail(provider, ex)}");
            }
            finally
            {
                gpuOptions?.Dispose();
            }
        }

        using var cpuOptions = BaseOptions(options, weightBytes);
        var cpuSession = Open(modelPath, modelBytes, cpuOptions, ComputeThreads.ForSession(options.Compute, Cpu));
        LogOnce(logger, Cpu, declined.Count == 0 ? "CUDA disabled in configuration" : string.Join("; ", declined));
        return (cpuSession, Cpu);
    }

    // Where the session's runs will go (a CPU session's on the compute threads, a GPU session's on the caller):
    // ONNX Runtime's operator threads, made with the session, inherit that thread's priority.
    private static InferenceSession Open(string modelPath, byte[]? modelBytes, SessionOptions sessionOptions, ComputeThreads compute) =>
        compute.Invoke(() => modelBytes is null ? new InferenceSession(modelPath, sessionOptions) : new InferenceSession(modelBytes, sessionOptions));

    /// <summary>Why CUDA could not be used in this process, or null when it has not failed.</summary>
    public static string? CudaFailure => FailureOf(Cuda);

    /// <summary>Why TensorRT could not be used in this process, or null when it has not failed (or was not tried).</summary>
    public static string? TensorRtFailure => FailureOf(TensorRt);

    /// <summary>
    /// Whether CUDA device <paramref name="deviceId"/> can take sessions, checked without a model (a worker says so at
    /// start, per device; the benchmarks say why not): appending the CUDA provider is what fails on the CPU-only build
    /// or without the CUDA libraries. Null when it can; else why not, the verdict kept for the process as a failed
    /// session's is. Asked again, it answers from what it found (and from any session's failure since).
    /// </summary>
    public static string? CheckCuda(int deviceId) => Check(Cuda, new ModelLoadOptions { CudaDeviceId = deviceId });

    /// <summary>As <see cref="CheckCuda"/>, for TensorRT (which also needs CUDA).</summary>
    public static string? CheckTensorRt(int deviceId) => Check(TensorRt, new ModelLoadOptions { CudaDeviceId = deviceId, UseTensorRt = true });

    // A passed check is remembered per provider and device, so that a caller may ask on every heartbeat; a failure is
    // kept by Fail, and a session's later failure answers from then on.
    private static string? Check(string provider, ModelLoadOptions options)
    {
        if (Usable(provider) is null && Passed((provider, options.CudaDeviceId)) is false)
        {
            try
            {
                using var sessionOptions = new SessionOptions();
                AppendProvider(sessionOptions, provider, options);
                lock (Gate)
                {
                    Checked.Add((provider, options.CudaDeviceId));
                }
            }
            catch (Exception ex) when (IsProviderFailure(ex))
            {
                Fail(provider, ex);
            }
        }

        return FailureOf(provider);
    }

    private static bool Passed((string Provider, int Device) check)
    {
        lock (Gate)
        {
            return Checked.Contains(check);
        }
    }

    private static IEnumerable<string> Preference(ModelLoadOptions options)
    {
        if (options.UseTensorRt)
        {
            yield return TensorRt;
        }

        if (options.UseCuda || options.UseTensorRt)
        {
            yield return Cuda;
        }
    }

    // Nodes TensorRT cannot take run on CUDA rather than on the CPU: CUDA is appended after it.
    private static void AppendProvider(SessionOptions sessionOptions, string provider, ModelLoadOptions options)
    {
        if (provider == TensorRt)
        {
            using var trt = new OrtTensorRTProviderOptions();
            var settings = new Dictionary<string, string>
            {
                ["device_id"] = options.CudaDeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["trt_fp16_enable"] = options.TensorRtFp16 ? "1" : "0",
            };
            if (!string.IsNullOrEmpty(options.TensorRtCachePath))
            {
                Directory.CreateDirectory(options.TensorRtCachePath);
                settings["trt_engine_cache_enable"] = "1";
                settings["trt_engine_cache_path"] = Path.GetFullPath(options.TensorRtCachePath);
                settings["trt_timing_cache_enable"] = "1";
                settings["trt_timing_cache_path"] = Path.GetFullPath(options.TensorRtCachePath);
            }

            trt.UpdateOptions(settings);
            sessionOptions.AppendExecutionProvider_Tensorrt(trt);
        }

        sessionOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
    }

    private static string Describe(string provider, ModelLoadOptions options, List<string> declined)
    {
        var what = provider == TensorRt
            ? $"TensorRT on CUDA device {options.CudaDeviceId}, engine cache {(string.IsNullOrEmpty(options.TensorRtCachePath) ? "off" : Path.GetFullPath(options.TensorRtCachePath))}"
            : $"CUDA device {options.CudaDeviceId}";
        what += CudaDeviceMemory.TotalBytes(options.CudaDeviceId) is { } total
            ? $", {CudaMemoryReading.Gibibytes(total)} by its driver"
            : string.Empty;
        return declined.Count == 0 ? what : $"{what}; {string.Join("; ", declined)}";
    }

    private static string? FailureOf(string provider)
    {
        lock (Gate)
        {
            return Failures.GetValueOrDefault(provider);
        }
    }

    private static string Fail(string provider, Exception ex)
    {
        lock (Gate)
        {
            Failures.TryAdd(provider, ex.GetBaseException().Message);
            return Failures[provider];
        }
    }

    // Null when the provider may be tried; else why not (an earlier failure, or its library not loading).
    private static string? Usable(string provider)
    {
        lock (Gate)
        {
            if (Probed.Add(provider) && ProbeProviderLibrary(provider) is { } failure)
            {
                Failures.TryAdd(provider, failure);
            }

            return Failures.GetValueOrDefault(provider);
        }
    }

    /// <summary>
    /// Loads the provider library as ORT would, before ORT does: where a CUDA, cuDNN or TensorRT library it needs is
    /// missing, ORT prints its own error line on every start, and probing first turns that into the one log line
    /// that says CPU and why. Null when it loads, or when it is not where ORT's package puts it (ORT then decides).
    /// </summary>
    private static string? ProbeProviderLibrary(string provider)
    {
        var name = provider == TensorRt ? "tensorrt" : "cuda";
        var file = OperatingSystem.IsWindows() ? $"onnxruntime_providers_{name}.dll"
            : OperatingSystem.IsLinux() ? $"libonnxruntime_providers_{name}.so"
            : null;
        if (file is null)
        {
            return null;
        }

        var rid = $"{(OperatingSystem.IsWindows() ? "win" : "linux")}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
        var path = new[] { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native") }
            .Select(folder => Path.Combine(folder, file))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            return null;
        }

        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            return ProbeVerdict(ex.Message);
        }
    }

    /// <summary>
    /// What a failed probe load means. The provider library takes <c>Provider_GetHost</c> from
    /// <c>libonnxruntime_providers_shared</c>, which ORT loads globally before it, so loaded alone it always stops at
    /// that symbol, and the loader gets that far only when every library it needs (CUDA, cuDNN, TensorRT) was found:
    /// then ORT is left to load it. Any other failure (a library missing, a wrong build) is the reason to give.
    /// </summary>
    internal static string? ProbeVerdict(string loadError) =>
        loadError.Contains("undefined symbol: Provider_GetHost", StringComparison.Ordinal) ? null : loadError;

    private static readonly HashSet<string> Logged = new(StringComparer.Ordinal);

    // Once per verdict, not per session: every graph of every model would say the same.
    private static void LogOnce(ILogger logger, string provider, string reason)
    {
        lock (Gate)
        {
            if (!Logged.Add($"{provider} {reason}"))
            {
                return;
            }
        }

        logger.LogInformation("ONNX Runtime execution provider: {Provider} ({Reason})", provider, reason);
    }

    /// <summary>Above this much weight, a graph's InferenceSession runs without ONNX Runtime's CPU arena unless
    /// <see cref="ModelLoadOptions.CpuMemArena"/> says otherwise: its activations are big enough that an allocation per
    /// use costs nothing beside the compute, and the arena's doubling growth would keep gigabytes it no longer needs.</summary>
    public const long ArenaWeightLimit = 2L << 30;

    /// <summary>Whether a graph with <paramref name="weightBytes"/> of weights gets ONNX Runtime's CPU arena.</summary>
    public static bool UsesCpuArena(ModelLoadOptions options, long weightBytes) => options.CpuMemArena ?? weightBytes < ArenaWeightLimit;

    private static SessionOptions BaseOptions(ModelLoadOptions options, long weightBytes)
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        // Idle intra-op threads would otherwise spin after each Run and take the cores the pipeline's own work
        // (scheduler math, CFG) needs between UNet calls.
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (options.IntraOpThreads > 0)
        {
            sessionOptions.IntraOpNumThreads = options.IntraOpThreads;
        }

        sessionOptions.EnableCpuMemArena = UsesCpuArena(options, weightBytes);
        return sessionOptions;
    }

    // A graph that is broken fails on CPU too; only provider/library failures are worth a CPU retry.
    private static bool IsProviderFailure(Exception ex) =>
        ex is EntryPointNotFoundException or DllNotFoundException
        || ex.GetBaseException().Message.Contains("CUDA", StringComparison.OrdinalIgnoreCase)
        || ex.GetBaseException().Message.Contains("TensorRT", StringComparison.OrdinalIgnoreCase)
        || ex.GetBaseException().Message.Contains(".so", StringComparison.Ordinal)
        || ex.GetBaseException().Message.Contains("provider", StringComparison.OrdinalIgnoreCase);
}
