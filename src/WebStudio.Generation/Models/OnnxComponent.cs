using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace WebStudio.Generation.Models;

/// <summary>
/// One graph of a model folder (text_encoder, unet, vae_decoder, vae_encoder): its session, loaded once and
/// shared by all jobs (ORT sessions are thread-safe for Run), and its inputs and outputs by name.
/// </summary>
public sealed class OnnxComponent : IDisposable
{
    private readonly InferenceSession _session;
    private readonly ComputeThreads _compute;

    // One set of run options for every call: they are only read by Run (nothing here ever sets the terminate flag),
    // and creating and releasing a native one per call is a cost on every UNet step.
    private readonly RunOptions _runOptions = new();

    private OnnxComponent(string displayName, InferenceSession session, string provider, ComputeThreads? compute)
    {
        DisplayName = displayName;
        _session = session;
        _compute = ComputeThreads.ForSession(compute, provider);
        Provider = provider;
        Inputs = session.InputMetadata.ToDictionary(p => p.Key, p => TensorKind.From(p.Key, p.Value), StringComparer.Ordinal);
        Outputs = session.OutputMetadata.ToDictionary(p => p.Key, p => TensorKind.From(p.Key, p.Value), StringComparer.Ordinal);
    }

    /// <summary>The graph's path inside the model folder, such as "unet/model.onnx": used in every error.</summary>
    public string DisplayName { get; }

    public string Provider { get; }

    /// <summary>Whether the graph's InferenceSession runs with ONNX Runtime's CPU memory arena (<see cref="ModelLoadOptions.CpuMemArena"/>).</summary>
    public bool CpuMemArena { get; private init; }

    // The graph and its external data files share its folder (unet/, text_encoder/...): their sizes are its weights.
    // An upcast graph is held in memory, weights and all, at twice its float16 size.
    private static long WeightBytes(string path, byte[]? upcastBytes) =>
        upcastBytes?.LongLength ?? new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(path))!).EnumerateFiles().Sum(f => f.Length);

    public IReadOnlyDictionary<string, TensorKind> Inputs { get; }

    public IReadOnlyDictionary<string, TensorKind> Outputs { get; }

    /// <param name="upcast">Run a float16 graph in float32 (<see cref="Float32Upcast"/>); a float32 graph loads as it is.</param>
    public static OnnxComponent Load(string modelFolder, string component, ModelLoadOptions options, ILogger logger, bool upcast = false)
    {
        var displayName = $"{component}/model.onnx";
        var path = Path.Combine(modelFolder, component, "model.onnx");
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"The model folder has no {displayName}.");
        }

        return LoadFile(path, displayName, options, logger, upcast);
    }

    /// <summary>An existing graph file, named <paramref name="displayName"/> in every error.</summary>
    public static OnnxComponent LoadFile(string path, string displayName, ModelLoadOptions options, ILogger logger, bool upcast = false)
    {
        ExternalDataCheck.Verify(path, displayName);
        try
        {
            byte[]? upcastBytes = null;
            if (upcast && Float32Upcast.Read(path) is var graph && Float32Upcast.TakesFloat16(graph))
            {
                upcastBytes = Float32Upcast.ToFloat32(graph, path);
                logger.LogInformation("{Graph} is float16 and runs in float32 (force_upcast)", displayName);
            }

            var weightBytes = WeightBytes(path, upcastBytes);
            var (session, provider) = ExecutionProviders.CreateSession(path, options, logger, upcastBytes, weightBytes);
            return new OnnxComponent(displayName, session, provider, options.Compute) { CpuMemArena = ExecutionProviders.UsesCpuArena(options, weightBytes) };
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException($"{displayName} could not be loaded by ONNX Runtime: {ex.Message}", ex);
        }
    }

    /// <summary>The input with one of these names (exporters differ), or a load error listing what the graph has.</summary>
    public TensorKind RequireInput(params string[] names) =>
        FindInput(names) ?? throw Missing("input", names, Inputs.Keys);

    public TensorKind? FindInput(params string[] names) =>
        names.Select(n => Inputs.GetValueOrDefault(n)).FirstOrDefault(k => k is not null);

    public TensorKind RequireOutput(params string[] names) =>
        names.Select(n => Outputs.GetValueOrDefault(n)).FirstOrDefault(k => k is not null)
        ?? throw Missing("output", names, Outputs.Keys);

    /// <summary>Checks a declared rank, so a mismatched graph fails at load time rather than deep in a run.</summary>
    public void RequireRank(TensorKind kind, params int[] ranks)
    {
        if (!ranks.Contains(kind.Rank))
        {
            throw new ModelLoadException(
                $"{DisplayName}: input '{kind.Name}' has rank {kind.Rank}, expected {string.Join(" or ", ranks)} ({kind}).");
        }
    }

    /// <summary>Runs the graph, adds the time spent to <paramref name="clock"/>, and returns the named outputs.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(
        IReadOnlyList<string> inputNames, IReadOnlyList<OrtValue> inputs, IReadOnlyList<string> outputNames, RunClock? clock)
    {
        var start = Stopwatch.GetTimestamp();
        var outputs = _compute.Invoke(() => _session.Run(_runOptions, inputNames, inputs, outputNames));
        clock?.Add(start, Stopwatch.GetTimestamp());
        return outputs;
    }

    /// <summary>A new IOBinding on this graph's InferenceSession; its owner, one run (never the shared graph), disposes it.</summary>
    internal OrtIoBinding CreateIoBinding() => _session.CreateIoBinding();

    /// <summary>Runs the graph on what <paramref name="binding"/> holds, adding the time spent to <paramref name="clock"/>.</summary>
    internal void RunWithBinding(OrtIoBinding binding, RunClock? clock)
    {
        var start = Stopwatch.GetTimestamp();
        _compute.Invoke(() => _session.RunWithBinding(_runOptions, binding));
        clock?.Add(start, Stopwatch.GetTimestamp());
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private ModelLoadException Missing(string what, string[] names, IEnumerable<string> present) =>
        new($"{DisplayName} has no {what} named {string.Join(" or ", names.Select(n => $"'{n}'"))} " +
            $"(its {what}s are: {string.Join(", ", present)}).");
}
