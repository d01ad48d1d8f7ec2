using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using WebStudio.Generation.Randomness;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.SdSynth;

/// <summary>
/// Receives a graph's parameters as they are created and counts them. Depending on how it was made, it also
/// fills them with seeded random values and stores them inline or streams them, a chunk at a time, straight into
/// an external data file, so a 3.4 GB UNet never sits in memory.
/// </summary>
public sealed class WeightSink : IDisposable
{
    /// <summary>Tensors smaller than this stay inline, as onnx's save_model(size_threshold=1024) leaves them.</summary>
    public const int ExternalThreshold = 1024;

    private const int ChunkValues = 1 << 20;

    private readonly bool _writeData;
    private readonly ulong _seed;
    private readonly FileStream? _external;
    private readonly string? _externalName;
    private readonly List<TensorProto> _tensors = [];
    private readonly float[] _chunk;
    private readonly ushort[] _halfChunk;

    private WeightSink(DataType type, bool writeData, ulong seed, string? externalPath)
    {
        if (type is not (DataType.Float or DataType.Float16))
        {
            throw new ArgumentException($"Weights must be Float or Float16, not {type}.", nameof(type));
        }

        Type = type;
        _writeData = writeData;
        _seed = seed;
        _chunk = writeData ? new float[ChunkValues] : [];
        _halfChunk = writeData && type == DataType.Float16 ? new ushort[ChunkValues] : [];
        if (externalPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(externalPath))!);
            _external = new FileStream(externalPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            _externalName = Path.GetFileName(externalPath);
        }
    }

    /// <summary>Counts parameters and records shapes only: nothing is generated or written.</summary>
    public static WeightSink CountOnly(DataType type) => new(type, writeData: false, 0, null);

    /// <summary>Generates every tensor into the model file itself (for graphs well under protobuf's 2 GB).</summary>
    public static WeightSink Inline(DataType type, ulong seed) => new(type, writeData: true, seed, null);

    /// <summary>Streams tensors of at least <see cref="ExternalThreshold"/> bytes into <paramref name="dataPath"/>.</summary>
    public static WeightSink External(DataType type, ulong seed, string dataPath) => new(type, writeData: true, seed, dataPath);

    public DataType Type { get; }

    /// <summary>Number of parameter values so far (the figure compared with SD 1.5's).</summary>
    public long Parameters { get; private set; }

    public int BytesPerValue => Type == DataType.Float16 ? 2 : 4;

    /// <summary>The initializers, inline or pointing into the external file; empty for a count-only sink.</summary>
    public IReadOnlyList<TensorProto> Tensors => _tensors;

    /// <summary>Values uniform in ±<paramref name="bound"/>.</summary>
    public void Uniform(string name, long[] dims, float bound) => Add(name, dims, bound, 0f);

    /// <summary>Every value <paramref name="value"/> (norm scales and shifts).</summary>
    public void Filled(string name, long[] dims, float value) => Add(name, dims, 0f, value);

    private void Add(string name, long[] dims, float bound, float offset)
    {
        var count = dims.Aggregate(1L, (product, dim) => product * dim);
        Parameters += count;
        if (!_writeData)
        {
            return;
        }

        var tensor = new TensorProto { Name = name, DataType = (int)Type };
        tensor.Dims.AddRange(dims);
        // One generator per tensor, seeded by its position, so a tensor's values do not depend on how it is chunked.
        var random = new DeterministicRandom(_seed ^ (0x9E3779B97F4A7C15UL * (ulong)(_tensors.Count + 1)));
        var bytes = count * BytesPerValue;
        if (_external is not null && bytes >= ExternalThreshold)
        {
            var start = _external.Position;
            Generate(count, bound, offset, random, _external);
            tensor.ExternalData.Add(Entry("location", _externalName!));
            tensor.ExternalData.Add(Entry("offset", start.ToString(CultureInfo.InvariantCulture)));
            tensor.ExternalData.Add(Entry("length", bytes.ToString(CultureInfo.InvariantCulture)));
            tensor.DataLocation = TensorProto.Types.DataLocation.External;
        }
        else
        {
            var raw = new MemoryStream(checked((int)bytes));
            Generate(count, bound, offset, random, raw);
            // The stream's buffer is exactly the tensor's bytes: wrap it rather than copy it again.
            tensor.RawData = UnsafeByteOperations.UnsafeWrap(raw.GetBuffer().AsMemory(0, (int)raw.Length));
        }

        _tensors.Add(tensor);
    }

    private void Generate(long count, float bound, float offset, DeterministicRandom random, Stream destination)
    {
        for (long done = 0; done < count; done += ChunkValues)
        {
            var length = (int)Math.Min(ChunkValues, count - done);
            var values = _chunk.AsSpan(0, length);
            if (bound == 0f)
            {
                values.Fill(offset);
            }
            else
            {
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = offset + bound * random.NextSignedSingle();
                }
            }

            if (Type == DataType.Float16)
            {
                var halves = _halfChunk.AsSpan(0, length);
                for (var i = 0; i < halves.Length; i++)
                {
                    halves[i] = BitConverter.HalfToUInt16Bits((Half)values[i]);
                }

                destination.Write(MemoryMarshal.AsBytes(halves));
            }
            else
            {
                destination.Write(MemoryMarshal.AsBytes(values));
            }
        }
    }

    private static StringStringEntryProto Entry(string key, string value) => new() { Key = key, Value = value };

    public void Dispose() => _external?.Dispose();
}
