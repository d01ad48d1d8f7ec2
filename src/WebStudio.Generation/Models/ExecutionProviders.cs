using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace WebStudio.Generation.Models;

/// <summary>
/// Chooses CUDA when it is configured and actually works, else CPU, and says which and why. The CUDA provider
/// fails in two ways: appending it throws on the CPU-only native build (EntryPointNotFoundException), and creating
/// a session throws when CUDA/cuDNN libraries are missing. Both fall back to CPU; the verdict is kept per process.
/// </summary>
public static class ExecutionProviders
{
    private static readonly object Gate = new();
    private static string? _cudaFailure;

    public const string Cuda = "CUDA", Cpu = "CPU";

    /// <summary>Creates a session on the best provider. Returns the provider actually used.</summary>
    internal static (InferenceSession Session, string Provider) CreateSession(
        string modelPath, ModelLoadOptions options, ILogger logger, byte[]? modelBytes = null)
    {
        if (options.UseCuda && CudaFailure is null && ProbeOnce() is null)
        {
            SessionOptions? cudaOptions = null;
            try
            {
                cudaOptions = BaseOptions(options);
                cudaOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                var session = modelBytes is null ? new InferenceSession(modelPath, cudaOptions) : new InferenceSession(modelBytes, cudaOptions);
                LogOnce(logger, Cuda, $"CUDA device {options.CudaDeviceId}");
                return (session, Cuda);
            }
            catch (Exception ex) when (IsProviderFailure(ex))
            {
                lock (Gate)
                {
                    _cudaFailure ??= ex.GetBaseException().Message;
                }
            }
            finally
            {
                cudaOptions?.Dispose();
            }
        }

        using var cpuOptions = BaseOptions(options);
        var cpuSession = modelBytes is null ? new InferenceSession(modelPath, cpuOptions) : new InferenceSession(modelBytes, cpuOptions);
        var reason = !options.UseCuda ? "CUDA disabled in configuration" : $"CUDA unavailable: {CudaFailure}";
        LogOnce(logger, Cpu, reason);
        return (cpuSession, Cpu);
    }

    /// <summary>Why CUDA could not be used in this process, or null when it has not failed.</summary>
    public static string? CudaFailure
    {
        get
        {
            lock (Gate)
            {
                return _cudaFailure;
            }
        }
    }

    /// <summary>
    /// Whether CUDA device <paramref name="deviceId"/> can take sessions, checked without a model (a worker says so at
    /// start, per device): appending the CUDA provider is what fails on the CPU-only build or without the CUDA
    /// libraries. Null when it can; else why not, the verdict kept for the process as a failed session's is.
    /// </summary>
    public static string? CheckCuda(int deviceId)
    {
        if (CudaFailure is null && ProbeOnce() is null)
        {
            try
            {
                using var options = new SessionOptions();
                options.AppendExecutionProvider_CUDA(deviceId);
            }
            catch (Exception ex) when (IsProviderFailure(ex))
            {
                lock (Gate)
                {
                    _cudaFailure ??= ex.GetBaseException().Message;
                }
            }
        }

        return CudaFailure;
    }

    private static bool _logged, _probed;

    private static string? ProbeOnce()
    {
        lock (Gate)
        {
            if (!_probed)
            {
                _probed = true;
                _cudaFailure ??= ProbeCudaProviderLibrary();
            }

            return _cudaFailure;
        }
    }

    /// <summary>
    /// Loads the CUDA provider library as ORT would, before ORT does: where a CUDA or cuDNN library it needs is
    /// missing, ORT prints its own error line on every start, and probing first turns that into the one log line
    /// that says CPU and why. Null when it loads, or when it is not where ORT's package puts it (ORT then decides).
    /// </summary>
    private static string? ProbeCudaProviderLibrary()
    {
        var file = OperatingSystem.IsWindows() ? "onnxruntime_providers_cuda.dll"
            : OperatingSystem.IsLinux() ? "libonnxruntime_providers_cuda.so"
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
            return ex.Message;
        }
    }

    private static void LogOnce(ILogger logger, string provider, string reason)
    {
        lock (Gate)
        {
            if (_logged)
            {
                return;
            }

            _logged = true;
        }

        logger.LogInformation("ONNX Runtime execution provider: {Provider} ({Reason})", provider, reason);
    }

    private static SessionOptions BaseOptions(ModelLoadOptions options)
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

        return sessionOptions;
    }

    // A graph that is broken fails on CPU too; only provider/library failures are worth a CPU retry.
    private static bool IsProviderFailure(Exception ex) =>
        ex is EntryPointNotFoundException or DllNotFoundException
        || ex.GetBaseException().Message.Contains("CUDA", StringComparison.OrdinalIgnoreCase)
        || ex.GetBaseException().Message.Contains(".so", StringComparison.Ordinal)
        || ex.GetBaseException().Message.Contains("provider", StringComparison.OrdinalIgnoreCase);
}
