using Microsoft.ML.OnnxRuntime;

namespace WebStudio.Generation.Models;

/// <summary>text_encoder/model.onnx: input_ids [B,77] (int32 or int64) → last_hidden_state [B,77,D].</summary>
public sealed class TextEncoder : IDisposable
{
    private readonly OnnxComponent _graph;
    private readonly TensorKind _inputIds;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public TextEncoder(OnnxComponent graph)
    {
        _graph = graph;
        _inputIds = graph.RequireInput("input_ids");
        graph.RequireRank(_inputIds, 2);
        var output = graph.RequireOutput("last_hidden_state");
        _inputNames = [_inputIds.Name];
        _outputNames = [output.Name];
        SequenceLength = _inputIds.FixedDimension(1) ?? 77;
    }

    public int SequenceLength { get; }

    /// <summary>True when the graph takes several prompts in one call.</summary>
    public bool HasDynamicBatch => _inputIds.HasDynamicBatch;

    public string Provider => _graph.Provider;

    /// <summary>Encodes <paramref name="batch"/> rows of token ids; returns hidden states and their width.</summary>
    public (float[] Hidden, int Width) Encode(int[] ids, int batch, RunClock? clock)
    {
        using var input = OrtTensors.FromIds(ids, [batch, SequenceLength], _inputIds);
        using var outputs = _graph.Run(_inputNames, [input], _outputNames, clock);
        var shape = OrtTensors.ShapeOf(outputs[0]);
        return (OrtTensors.ToFloats(outputs[0], _outputNames[0]), (int)shape[^1]);
    }

    public void Dispose() => _graph.Dispose();
}
