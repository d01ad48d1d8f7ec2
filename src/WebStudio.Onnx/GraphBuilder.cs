using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Onnx;

/// <summary>
/// Builds one ONNX graph (opset 21, default domain) from code: inputs, outputs, initializers and nodes.
/// Op helpers live in GraphBuilder.Ops.cs, weight-creating layers in GraphBuilder.Layers.cs.
/// </summary>
public sealed partial class GraphBuilder
{
    public const int DefaultOpset = 21;

    /// <summary>IR 10 came with ONNX 1.16, the release that added opset 21; ORT 1.31 loads it.</summary>
    public const long DefaultIrVersion = 10;

    private readonly GraphProto _graph;

    // Reserved: handed out by UniqueName or defined. Defined: an input, initializer or node output exists.
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _defined = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly Random _random;

    /// <param name="name">Graph name stored in the model.</param>
    /// <param name="floatType">Element type of float weights and of the constants op helpers create
    /// (<see cref="DataType.Float"/> or <see cref="DataType.Float16"/>).</param>
    /// <param name="seed">Seed for the random weights of layer helpers, so written models are deterministic.</param>
    public GraphBuilder(string name = "graph", DataType floatType = DataType.Float, int seed = 0)
    {
        if (floatType is not (DataType.Float or DataType.Float16))
        {
            throw new ArgumentException($"Float type must be Float or Float16, not {floatType}.", nameof(floatType));
        }

        _graph = new GraphProto { Name = name };
        FloatType = floatType;
        _random = new Random(seed);
    }

    public DataType FloatType { get; }

    /// <summary>
    /// A name not handed out yet in this graph: the prefix itself, then prefix_1, prefix_2...
    /// Pass it to Input/Initializer/Node to define the value.
    /// </summary>
    public string UniqueName(string prefix)
    {
        if (_reserved.Add(prefix))
        {
            return prefix;
        }

        var count = _counters.GetValueOrDefault(prefix);
        string candidate;
        do
        {
            count++;
            candidate = $"{prefix}_{count}";
        }
        while (!_reserved.Add(candidate));

        _counters[prefix] = count;
        return candidate;
    }

    /// <summary>Adds a graph input. No dims gives a rank-0 scalar.</summary>
    public string Input(string name, DataType type, params Dim[] dims)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    /// <summary>
    /// Adds a graph output named <paramref name="name"/>. When <paramref name="from"/> names another value,
    /// an Identity node copies it, so any intermediate can become a named output.
    /// </summary>
    public string Output(string name, DataType type, Dim[] dims, string? from = null)
    {
        if (from is not null && from != name)
        {
            Node("Identity", [from], [name]);
        }
        else if (!_defined.Contains(name))
        {
            throw new InvalidOperationException($"Output '{name}' is not produced by any node or input.");
        }

        _graph.Output.Add(ValueInfo(name, type, dims));
        return name;
    }

    /// <summary>Float weights, stored as <paramref name="storeAs"/> (default <see cref="FloatType"/>).</summary>
    public string Initializer(string name, float[] data, long[] dims, DataType? storeAs = null)
    {
        var type = storeAs ?? FloatType;
        var raw = type switch
        {
            DataType.Float => MemoryMarshal.AsBytes(data.AsSpan()).ToArray(),
            DataType.Float16 => Float16.ToRawBytes(data),
            _ => throw new ArgumentException($"Float data cannot be stored as {type}.", nameof(storeAs)),
        };
        return AddInitializer(name, type, raw, data.Length, dims);
    }

    public string InitializerInt64(string name, long[] data, long[] dims) =>
        AddInitializer(name, DataType.Int64, MemoryMarshal.AsBytes(data.AsSpan()).ToArray(), data.Length, dims);

    public string InitializerInt32(string name, int[] data, long[] dims) =>
        AddInitializer(name, DataType.Int32, MemoryMarshal.AsBytes(data.AsSpan()).ToArray(), data.Length, dims);

    /// <summary>A rank-0 constant of <see cref="FloatType"/>, for scaling and offsets.</summary>
    public string Scalar(float value) => Initializer(UniqueName("const"), [value], []);

    /// <summary>A 1-D int64 constant, the form shape/axes/starts inputs take.</summary>
    public string Ints(params long[] values) => InitializerInt64(UniqueName("const"), values, [values.Length]);

    /// <summary>Adds a node with auto-named outputs; returns the output names.</summary>
    public string[] Node(string opType, string[] inputs, int outputCount, params AttributeProto[] attributes)
    {
        var outputs = new string[outputCount];
        for (var i = 0; i < outputCount; i++)
        {
            outputs[i] = UniqueName($"{opType}_out");
            _defined.Add(outputs[i]);
        }

        AddNode(opType, inputs, outputs, attributes);
        return outputs;
    }

    /// <summary>Adds a node whose outputs get the given names; returns them.</summary>
    public string[] Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        foreach (var output in outputs)
        {
            Claim(output);
        }

        AddNode(opType, inputs, outputs, attributes);
        return outputs;
    }

    /// <summary>Adds a single-output node; returns its output name.</summary>
    public string Op(string opType, string[] inputs, params AttributeProto[] attributes) =>
        Node(opType, inputs, 1, attributes)[0];

    public ModelProto Build(int opset = DefaultOpset, long irVersion = DefaultIrVersion)
    {
        var model = new ModelProto
        {
            IrVersion = irVersion,
            ProducerName = "WebStudio.Onnx",
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    private string AddInitializer(string name, DataType type, byte[] raw, int count, long[] dims)
    {
        var expected = dims.Aggregate(1L, (product, dim) => product * dim);
        if (expected != count)
        {
            throw new ArgumentException(
                $"Initializer '{name}' has {count} values, but dims [{string.Join(",", dims)}] need {expected}.", nameof(dims));
        }

        Claim(name);
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    private void AddNode(string opType, string[] inputs, string[] outputs, AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = UniqueName($"{opType}_node") };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
    }

    private void Claim(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _reserved.Add(name);
        if (!_defined.Add(name))
        {
            throw new InvalidOperationException($"The name '{name}' is already used in graph '{_graph.Name}'.");
        }
    }

    private static ValueInfoProto ValueInfo(string name, DataType type, Dim[] dims)
    {
        // An explicit empty shape means rank 0; leaving Shape unset would mean "unknown rank".
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim.Symbol is null
                ? new TensorShapeProto.Types.Dimension { DimValue = dim.Value!.Value }
                : new TensorShapeProto.Types.Dimension { DimParam = dim.Symbol });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
