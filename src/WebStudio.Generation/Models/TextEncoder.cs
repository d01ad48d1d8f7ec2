using Microsoft.ML.OnnxRuntime;

namespace WebStudio.Generation.Models;

/// <summary>
/// text_encoder/model.onnx: input_ids [B,77] (int32 or int64) → last_hidden_state [B,77,D]. SDXL's encoders (optimum's
/// export) also give hidden_states.0…N, of which the pipeline takes the penultimate, and text_encoder_2 the projected
/// pooled text_embeds [B,P].
/// </summary>
public sealed class TextEncoder : IDisposable
{
    private const string HiddenStatesPrefix = "hidden_states.";

    private readonly OnnxComponent _graph;
    private readonly TensorKind _inputIds;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly string[]? _penultimateOutputs;

    public TextEncoder(OnnxComponent graph)
    {
        _graph = graph;
        _inputIds = graph.RequireInput("input_ids");
        graph.RequireRank(_inputIds, 2);
        var output = graph.RequireOutput("last_hidden_state");
        _inputNames = [_inputIds.Name];
        _outputNames = [output.Name];
        SequenceLength = _inputIds.FixedDimension(1) ?? 77;

        // hidden_states.0 is the embedding output, hidden_states.N the last layer's: diffusers' hidden_states[-2] is N-1.
        var layers = graph.Outputs.Keys
            .Where(n => n.StartsWith(HiddenStatesPrefix, StringComparison.Ordinal))
            .Select(n => int.TryParse(n.AsSpan(HiddenStatesPrefix.Length), out var i) ? i : -1)
            .Where(i => i >= 0)
            .ToArray();
        if (layers.Length >= 2)
        {
            var penultimate = HiddenStatesPrefix + (layers.Max() - 1);
            if (graph.Outputs.ContainsKey(penultimate))
            {
                var pooled = graph.Outputs.ContainsKey("text_embeds") ? "text_embeds" : graph.Outputs.ContainsKey("pooler_output") ? "pooler_output" : null;
                _penultimateOutputs = pooled is null ? [penultimate] : [penultimate, pooled];
                HasProjection = pooled == "text_embeds";
            }
        }
    }

    public int SequenceLength { get; }

    /// <summary>True when the graph takes several prompts in one call.</summary>
    public bool HasDynamicBatch => _inputIds.HasDynamicBatch;

    /// <summary>Whether the graph gives every layer's hidden states (hidden_states.*), as SDXL's exports do.</summary>
    public bool HasHiddenStates => _penultimateOutputs is not null;

    /// <summary>Whether the graph gives the projected pooled text_embeds (CLIPTextModelWithProjection, SDXL's text_encoder_2).</summary>
    public bool HasProjection { get; }

    public string Provider => _graph.Provider;

    /// <summary>Encodes <paramref name="batch"/> rows of token ids; returns hidden states and their width.</summary>
    public (float[] Hidden, int Width) Encode(int[] ids, int batch, RunClock? clock)
    {
        using var input = OrtTensors.FromIds(ids, [batch, SequenceLength], _inputIds);
        using var outputs = _graph.Run(_inputNames, [input], _outputNames, clock);
        var shape = OrtTensors.ShapeOf(outputs[0]);
        return (OrtTensors.ToFloats(outputs[0], _outputNames[0]), (int)shape[^1]);
    }

    /// <summary>SDXL's reading: the penultimate layer's hidden states [B,77,D] and the pooled output [B,P]
    /// (text_embeds where the graph projects, else pooler_output; null where it has neither).</summary>
    public (float[] Hidden, int Width, float[]? Pooled) EncodePenultimate(int[] ids, int batch, RunClock? clock)
    {
        var names = _penultimateOutputs ?? throw new InvalidOperationException(
            $"{_graph.DisplayName} has no hidden_states.* outputs; an SDXL text encoder is exported with them (optimum-cli export onnx).");
        using var input = OrtTensors.FromIds(ids, [batch, SequenceLength], _inputIds);
        using var outputs = _graph.Run(_inputNames, [input], names, clock);
        var shape = OrtTensors.ShapeOf(outputs[0]);
        var pooled = names.Length > 1 ? OrtTensors.ToFloats(outputs[1], names[1]) : null;
        return (OrtTensors.ToFloats(outputs[0], names[0]), (int)shape[^1], pooled);
    }

    public void Dispose() => _graph.Dispose();
}
