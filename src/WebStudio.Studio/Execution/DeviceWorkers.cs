using Microsoft.Extensions.Options;
using WebStudio.Generation.Models;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Execution;

/// <summary>What one worker loop runs jobs with: its engine, and a runner whose executors use that engine.
/// <see cref="Device"/>: the CUDA device id listed in Worker:Devices, or null for the process's own
/// (Generation:CudaDeviceId).</summary>
public sealed record WorkerDevice(int? Device, IGenerationEngine Engine, JobRunner Runner);

/// <summary>
/// Worker:Devices: one engine per listed CUDA device, each with its own model cache and ONNX sessions created on
/// that device (the upscaler's too), so that one process runs a loop per GPU. The process's shared engine serves the
/// device it was configured for (Generation:CudaDeviceId); an engine that is not the ONNX one (a test's) serves
/// every device. On a machine without CUDA each device runs on the CPU, as the shared engine would.
/// </summary>
public sealed class DeviceWorkers(
    IServiceProvider services,
    IGenerationEngine shared,
    JobRunner sharedRunner,
    IOptions<GenerationOptions> generation,
    ILogger<DeviceWorkers> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, WorkerDevice> _devices = [];
    private readonly List<OnnxGenerationEngine> _owned = [];

    /// <summary>The loops of a process without Worker:Devices: the shared engine and runner.</summary>
    public WorkerDevice Default => new(null, shared, sharedRunner);

    public WorkerDevice For(int device)
    {
        lock (_gate)
        {
            if (!_devices.TryGetValue(device, out var worker))
            {
                worker = Create(device);
                _devices.Add(device, worker);
            }

            return worker;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var engine in _owned)
            {
                engine.Dispose();
            }

            _owned.Clear();
        }
    }

    private WorkerDevice Create(int device)
    {
        var settings = generation.Value.ForDevice(device);
        IGenerationEngine engine = shared;
        if (shared is OnnxGenerationEngine && device != generation.Value.CudaDeviceId)
        {
            var own = new OnnxGenerationEngine(Microsoft.Extensions.Options.Options.Create(settings), services.GetRequiredService<ComputeThreads>(),
                services.GetRequiredService<ILogger<ModelCache>>());
            _owned.Add(own);
            engine = own;
        }

        var upscale = ActivatorUtilities.CreateInstance<UpscaleRunner>(services, Microsoft.Extensions.Options.Options.Create(settings));
        var runner = ActivatorUtilities.CreateInstance<JobRunner>(services, new JobExecutors(new DiffusionExecutor(engine), upscale));
        // So that the line below says CPU, and why, where TensorRT or CUDA cannot run.
        if (settings.UseTensorRt)
        {
            ExecutionProviders.CheckTensorRt(device);
        }

        if (settings.UseCuda || settings.UseTensorRt)
        {
            ExecutionProviders.CheckCuda(device);
        }

        logger.LogInformation("Worker device {Device}: {Provider}", device, engine is OnnxGenerationEngine
            ? engine.DescribeExecutionProvider()
            : "the host's own engine (not ONNX) serves it");
        return new WorkerDevice(device, engine, runner);
    }
}
