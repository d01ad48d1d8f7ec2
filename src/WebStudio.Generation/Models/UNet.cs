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
    private long _rowsEvaluated;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public UNet(OnnxComponent graph)
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
        InChannels = _sample.FixedDimension(1) ?? 4;
        TimestepCondDim = _timestepCond?.FixedDimension(1) ?? (_timestepCond is null ? 0 : 256);
    }

    /// <summary>4 for ordinary UNets, 9 for inpainting UNets (latents + mask + masked-image latents).</summary>
    public int InChannels { get; }

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

    /// <summary>Predicts noise for a batch. <paramref name="hidden"/> holds one row of text states per sample, and
    /// for SDXL <paramref name="added"/> one row of pooled text embeds and time ids per sample.</summary>
    public float[] Predict(Latents sample, float timestep, float[] hidden, int hiddenLength, int hiddenWidth, float[]? timestepCond, RunClock? clock,
        AddedConditions? added = null)
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
                var cond = timestepCond ?? throw new ArgumentException($"{_graph.DisplayName} needs timestep_cond (an LCM UNet).");
                values.Add(OrtTensors.FromFloats(cond, [batch, TimestepCondDim], _timestepCond));
            }

            if (_textEmbeds is not null)
            {
                var extra = added ?? throw new ArgumentException($"{_graph.DisplayName} needs text_embeds and time_ids (an SDXL UNet).");
                values.Add(OrtTensors.FromFloats(extra.TextEmbeds, [batch, extra.TextEmbeds.Length / batch], _textEmbeds));
                values.Add(OrtTensors.FromFloats(extra.TimeIds, [batch, extra.TimeIds.Length / batch], _timeIds!));
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
