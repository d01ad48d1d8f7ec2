using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Models;

/// <summary>
/// unet/model.onnx: sample [B,C,h,w], timestep (int64 [B], float [B] or a float rank-0 scalar, by exporter),
/// encoder_hidden_states [B,L,D] (L = 77, or any multiple of it where the export left it symbolic) and, for LCM, timestep_cond [B,256] → out_sample.
/// </summary>
public sealed class UNet : IDisposable
{
    private readonly OnnxComponent _graph;
    private readonly TensorKind _sample, _timestep, _hidden;
    private readonly TensorKind? _timestepCond;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public UNet(OnnxComponent graph)
    {
        _graph = graph;
        _sample = graph.RequireInput("sample");
        _timestep = graph.RequireInput("timestep");
        _hidden = graph.RequireInput("encoder_hidden_states");
        _timestepCond = graph.FindInput("timestep_cond");
        graph.RequireRank(_sample, 4);
        graph.RequireRank(_timestep, 0, 1);
        graph.RequireRank(_hidden, 3);
        if (_timestep.ElementType is not (TensorElementType.Float or TensorElementType.Float16 or TensorElementType.Int64 or TensorElementType.Int32))
        {
            throw new ModelLoadException($"{graph.DisplayName}: input 'timestep' has element type {_timestep.ElementType}; expected int64, float or float16.");
        }

        if (_timestepCond is not null)
        {
            graph.RequireRank(_timestepCond, 2);
        }

        var output = graph.RequireOutput("out_sample");
        _inputNames = _timestepCond is null
            ? [_sample.Name, _timestep.Name, _hidden.Name]
            : [_sample.Name, _timestep.Name, _hidden.Name, _timestepCond.Name];
        _outputNames = [output.Name];
        InChannels = _sample.FixedDimension(1) ?? 4;
        TimestepCondDim = _timestepCond?.FixedDimension(1) ?? (_timestepCond is null ? 0 : 256);
    }

    /// <summary>4 for ordinary UNets, 9 for inpainting UNets (latents + mask + masked-image latents).</summary>
    public int InChannels { get; }

    /// <summary>Width of the LCM guidance embedding input, 0 when the UNet has no timestep_cond.</summary>
    public int TimestepCondDim { get; }

    /// <summary>The text length the export fixed (77 for most), or null when any length is taken (long prompts).</summary>
    public int? FixedTextTokens => _hidden.FixedDimension(1);

    /// <summary>False when the export fixed the batch to 1: classifier-free guidance then runs as two calls.</summary>
    public bool HasDynamicBatch => _sample.HasDynamicBatch;

    public string Provider => _graph.Provider;

    /// <summary>Predicts noise for a batch. <paramref name="hidden"/> holds one row of text states per sample.</summary>
    public float[] Predict(Latents sample, float timestep, float[] hidden, int hiddenLength, int hiddenWidth, float[]? timestepCond, RunClock? clock)
    {
        var batch = sample.Batch;
        var values = new List<OrtValue>(4);
        try
        {
            values.Add(OrtTensors.FromFloats(sample.Data, [batch, sample.Channels, sample.Height, sample.Width], _sample));
            var timesteps = _timestep.Rank == 0 ? [timestep] : Enumerable.Repeat(timestep, batch).ToArray();
            long[] timestepShape = _timestep.Rank == 0 ? [] : [batch];
            values.Add(OrtTensors.FromFloats(timesteps, timestepShape, _timestep));
            values.Add(OrtTensors.FromFloats(hidden, [batch, hiddenLength, hiddenWidth], _hidden));
            if (_timestepCond is not null)
            {
                var cond = timestepCond ?? throw new ArgumentException($"{_graph.DisplayName} needs timestep_cond (an LCM UNet).");
                values.Add(OrtTensors.FromFloats(cond, [batch, TimestepCondDim], _timestepCond));
            }

            using var outputs = _graph.Run(_inputNames, values, _outputNames, clock);
            return OrtTensors.ToFloats(outputs[0], _outputNames[0]);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    public void Dispose() => _graph.Dispose();
}
