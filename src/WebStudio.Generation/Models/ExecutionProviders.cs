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
        string modelPath, ModelLoadOptions options, ILogger logger)
    {
        if (options.UseCuda && CudaFailure is null)
        {
            SessionOptions? cudaOptions = null;
            try
            {
                cudaOptions = BaseOptions(options);
                cudaOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                var session = new InferenceSession(modelPath, cudaOptions);
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
        var cpuSession = new InferenceSession(modelPath, cpuOptions);
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

    private static bool _logged;

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
