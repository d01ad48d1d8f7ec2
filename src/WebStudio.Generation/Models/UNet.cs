using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Models;

/// <summary>
/// unet/model.onnx: sample [B,C,h,w], timestep (int64 [B], float [B] or a float rank-0 scalar, by exporter),
/// encoder_hidden_states [B,L,D] (L = 77, or any multiple of it where the export left it symbolic), for LCM timestep_cond [B,256],
/// and for SDXL text_embeds [B,P] and time_ids [B,6] (the refiner's [B,5]) → out_sample.
/// </summary>
public sealed class UNet : IDisposable
{
    private readonly OnnxComponent _graph;
    private readonly TensorKind _sample, _timestep, _hidden;
    private readonly TensorKind? _timestepCond;
    private readonly TensorKind? _textEmbeds, _timeIds;
    private long _rowsEvaluated, _bindingsMade, _bindingsLive, _boundCalls;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly UNetInputs _inputs;

    /// <param name="ioBinding">Run jobs through IOBindings (<see cref="ModelLoadOptions.IoBinding"/>); a UNet whose
    /// sample or output is neither float nor float16 runs without.</param>
    public UNet(OnnxComponent graph, bool ioBinding = true)
    {
        _graph = graph;
        _sample = graph.RequireInput("sample");
        _timestep = graph.RequireInput("timestep");
        _hidden = graph.RequireInput("encoder_hidden_states");
        _timestepCond = graph.FindInput("timestep_cond");
        _textEmbeds = graph.FindInput("text_embeds");
        _timeIds = graph.FindInput("time_ids");
        if ((_textEmbeds is null) != (_timeIds is null))
        {
            throw new ModelLoadException($"{graph.DisplayName} takes {(_textEmbeds is null ? "time_ids but not text_embeds" : "text_embeds but not time_ids")}; an SDXL UNet takes both.");
        }

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
        if (_textEmbeds is not null)
        {
            graph.RequireRank(_textEmbeds, 2);
            graph.RequireRank(_timeIds!, 2);
        }

        _inputNames = new[] { _sample, _timestep, _hidden, _timestepCond, _textEmbeds, _timeIds }.OfType<TensorKind>().Select(k => k.Name).ToArray();
        _outputNames = [output.Name];
        _inputs = new UNetInputs(_sample, _timestep, _hidden, _timestepCond, _textEmbeds, _timeIds, output);
        InChannels = _sample.FixedDimension(1) ?? 4;
        // The noise prediction has the latents' 4 channels whatever the UNet takes beside them (inpainting, edits).
        OutChannels = output.FixedDimension(1) ?? 4;
        IoBinding = ioBinding && _sample.ElementType is TensorElementType.Float or TensorElementType.Float16
            && output.ElementType is TensorElementType.Float or TensorElementType.Float16;
        TimestepCondDim = _timestepCond?.FixedDimension(1) ?? (_timestepCond is null ? 0 : 256);
    }

    /// <summary>4 for ordinary UNets, 9 for inpainting UNets (latents + mask + masked-image latents).</summary>
    public int InChannels { get; }

    /// <summary>Channels of the noise prediction (out_sample).</summary>
    public int OutChannels { get; }

    /// <summary>Whether runs go through IOBindings (<see cref="StartRun"/>).</summary>
    public bool IoBinding { get; }

    /// <summary>IOBindings made since the UNet was loaded (one per run and set of constant inputs).</summary>
    public long IoBindingsMade => Interlocked.Read(ref _bindingsMade);

    /// <summary>IOBindings made and not yet released: 0 whenever no job is running.</summary>
    public long IoBindingsLive => Interlocked.Read(ref _bindingsLive);

    /// <summary>UNet calls run through an IOBinding since the UNet was loaded.</summary>
    public long CallsThroughIoBinding => Interlocked.Read(ref _boundCalls);

    /// <summary>Width of the LCM guidance embedding input, 0 when the UNet has no timestep_cond.</summary>
    public int TimestepCondDim { get; }

    /// <summary>The element type of the UNet's sample input (float16 for an fp16 export).</summary>
    public TensorElementType ElementType => _sample.ElementType;

    /// <summary>Whether the UNet takes SDXL's added conditions, text_embeds and time_ids.</summary>
    public bool TakesAddedConditions => _textEmbeds is not null;

    /// <summary>The pooled text width of text_embeds, or null when the export leaves it symbolic (or has none).</summary>
    public int? TextEmbedsWidth => _textEmbeds?.FixedDimension(1);

    /// <summary>How many time ids the UNet takes (6, the refiner's 5), or null when symbolic (or none).</summary>
    public int? TimeIdCount => _timeIds?.FixedDimension(1);

    /// <summary>Batch rows evaluated since the UNet was loaded: shows how many rows a run fed it.</summary>
    public long RowsEvaluated => Interlocked.Read(ref _rowsEvaluated);

    /// <summary>The text length the export fixed (77 for most), or null when any length is taken (long prompts).</summary>
    public int? FixedTextTokens => _hidden.FixedDimension(1);

    /// <summary>False when the export fixed the batch to 1: classifier-free guidance then runs as two calls.</summary>
    public bool HasDynamicBatch => _sample.HasDynamicBatch;

    public string Provider => _graph.Provider;

    /// <summary>Whether its InferenceSession runs with ONNX Runtime's CPU memory arena.</summary>
    public bool CpuMemArena => _graph.CpuMemArena;

    /// <summary>Starts one job's use of the UNet; dispose it when the job ends. Time in ORT goes to <paramref name="clock"/>.</summary>
    public UNetRun StartRun(RunClock? clock) => new(this, IoBinding, clock);

    internal void CheckConditions(float[]? timestepCond, AddedConditions? added)
    {
        if (_timestepCond is not null && timestepCond is null)
        {
            throw new ArgumentException($"{_graph.DisplayName} needs timestep_cond (an LCM UNet).");
        }

        if (_textEmbeds is not null && added is null)
        {
            throw new ArgumentException($"{_graph.DisplayName} needs text_embeds and time_ids (an SDXL UNet).");
        }
    }

    internal UNetBinding Bind(Latents sample, float[] hidden, int hiddenLength, int hiddenWidth, float[]? timestepCond, AddedConditions? added)
    {
        var binding = new UNetBinding(_graph, _inputs, sample, hidden, hiddenLength, hiddenWidth, timestepCond, added, OutChannels);
        Interlocked.Increment(ref _bindingsMade);
        Interlocked.Increment(ref _bindingsLive);
        return binding;
    }

    internal void Release(UNetBinding binding)
    {
        binding.Dispose();
        Interlocked.Decrement(ref _bindingsLive);
    }

    internal void CountBoundCall(int batch)
    {
        Interlocked.Add(ref _rowsEvaluated, batch);
        Interlocked.Increment(ref _boundCalls);
    }

    /// <summary>One call without a binding: its inputs made and its output read as a new array.</summary>
    internal float[] PredictUnbound(Latents sample, float timestep, float[] hidden, int hiddenLength, int hiddenWidth, float[]? timestepCond,
        AddedConditions? added, RunClock? clock)
    {
        var batch = sample.Batch;
        var values = new List<OrtValue>(6);
        try
        {
            values.Add(OrtTensors.FromFloats(sample.Data, [batch, sample.Channels, sample.Height, sample.Width], _sample));
            var timesteps = _timestep.Rank == 0 ? [timestep] : Enumerable.Repeat(timestep, batch).ToArray();
            long[] timestepShape = _timestep.Rank == 0 ? [] : [batch];
            values.Add(OrtTensors.FromFloats(timesteps, timestepShape, _timestep));
            values.Add(OrtTensors.FromFloats(hidden, [batch, hiddenLength, hiddenWidth], _hidden));
            if (_timestepCond is not null)
            {
                values.Add(OrtTensors.FromFloats(timestepCond!, [batch, timestepCond!.Length / batch], _timestepCond));
            }

            if (_textEmbeds is not null)
            {
                values.Add(OrtTensors.FromFloats(added!.TextEmbeds, [batch, added.TextEmbeds.Length / batch], _textEmbeds));
                values.Add(OrtTensors.FromFloats(added.TimeIds, [batch, added.TimeIds.Length / batch], _timeIds!));
            }

            Interlocked.Add(ref _rowsEvaluated, batch);

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

/// <summary>SDXL's added conditions for a batch: pooled text embeds [B,P] and time ids [B,n], row after row.</summary>
public sealed record AddedConditions(float[] TextEmbeds, float[] TimeIds);
