using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Models;

/// <summary>
/// One ONNX Runtime IOBinding of the UNet for one set of constant inputs (text states, SDXL's added conditions, LCM's
/// timestep_cond) and one sample shape, made once and used for every step of a run that feeds it those inputs.
/// The constants are bound once: ORT copies a host tensor to the device at bind time where the InferenceSession wants the
/// input on CUDA, so they go up once per run instead of once per step. The sample and timestep are written into
/// buffers made here once and rebound each step (a rebind costs nothing on the CPU and is the upload on CUDA); the
/// output lands in one buffer made here once (ORT copies it down from the device into it on CUDA).
/// </summary>
internal sealed class UNetBinding : IDisposable
{
    private readonly OnnxComponent _graph;
    private readonly OrtIoBinding _binding;
    private readonly List<OrtValue> _values = [];
    private readonly string _sampleName, _timestepName;
    private readonly OrtValue _sampleValue, _timestepValue;
    private readonly float[]? _sampleFloats;
    private readonly Float16[]? _sampleHalves;
    private readonly Array _timesteps;
    private readonly float[] _output;
    private readonly Float16[]? _outputHalves;
    private readonly bool _onDevice;

    public UNetBinding(OnnxComponent graph, UNetInputs inputs, Latents sample, float[] hidden, int hiddenLength, int hiddenWidth,
        float[]? timestepCond, AddedConditions? added, int outChannels)
    {
        _graph = graph;
        Key = new BindingKey(hidden, timestepCond, added, sample.Batch, sample.Channels, sample.Height, sample.Width);
        _onDevice = graph.Provider != ExecutionProviders.Cpu;
        var batch = sample.Batch;
        _binding = graph.CreateIoBinding();
        try
        {
            _sampleName = inputs.Sample.Name;
            long[] sampleShape = [batch, sample.Channels, sample.Height, sample.Width];
            if (inputs.Sample.ElementType == TensorElementType.Float16)
            {
                _sampleHalves = new Float16[sample.Data.Length];
                _sampleValue = Own(OrtValue.CreateTensorValueFromMemory(_sampleHalves, sampleShape));
            }
            else
            {
                _sampleFloats = new float[sample.Data.Length];
                _sampleValue = Own(OrtValue.CreateTensorValueFromMemory(_sampleFloats, sampleShape));
            }

            _timestepName = inputs.Timestep.Name;
            var count = inputs.Timestep.Rank == 0 ? 1 : batch;
            long[] timestepShape = inputs.Timestep.Rank == 0 ? [] : [batch];
            (_timesteps, _timestepValue) = inputs.Timestep.ElementType switch
            {
                TensorElementType.Int64 => Timesteps(new long[count], timestepShape),
                TensorElementType.Int32 => Timesteps(new int[count], timestepShape),
                TensorElementType.Float16 => Timesteps(new Float16[count], timestepShape),
                _ => Timesteps(new float[count], timestepShape),
            };

            // Bound once for the run. A float array is used in place (pinned until the binding goes); float16 and the
            // like are converted once.
            Bind(inputs.Hidden, hidden, [batch, hiddenLength, hiddenWidth]);
            if (inputs.TimestepCond is { } condKind)
            {
                Bind(condKind, timestepCond!, [batch, timestepCond!.Length / batch]);
            }

            if (inputs.TextEmbeds is { } embedsKind)
            {
                Bind(embedsKind, added!.TextEmbeds, [batch, added.TextEmbeds.Length / batch]);
                Bind(inputs.TimeIds!, added.TimeIds, [batch, added.TimeIds.Length / batch]);
            }

            long[] outputShape = [batch, outChannels, sample.Height, sample.Width];
            var outputLength = batch * outChannels * sample.Height * sample.Width;
            _output = new float[outputLength];
            if (inputs.Output.ElementType == TensorElementType.Float16)
            {
                _outputHalves = new Float16[outputLength];
                _binding.BindOutput(inputs.Output.Name, Own(OrtValue.CreateTensorValueFromMemory(_outputHalves, outputShape)));
            }
            else
            {
                _binding.BindOutput(inputs.Output.Name, Own(OrtValue.CreateTensorValueFromMemory(_output, outputShape)));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public BindingKey Key { get; }

    /// <summary>Writes the sample and timestep into this binding's buffers, runs the UNet and returns its output,
    /// valid until the next call.</summary>
    public ReadOnlySpan<float> Run(Latents sample, float timestep, RunClock? clock)
    {
        if (_sampleHalves is not null)
        {
            OrtTensors.ToHalves(sample.Data, _sampleHalves);
        }
        else
        {
            sample.Data.CopyTo(_sampleFloats!, 0);
        }

        switch (_timesteps)
        {
            case long[] longs:
                Array.Fill(longs, (long)MathF.Round(timestep));
                break;
            case int[] ints:
                Array.Fill(ints, (int)MathF.Round(timestep));
                break;
            case Float16[] halves:
                Array.Fill(halves, OrtTensors.ToHalf(timestep));
                break;
            case float[] floats:
                Array.Fill(floats, timestep);
                break;
        }

        // On the CPU the rebind only points ORT at the same memory again; on CUDA it is the step's upload.
        _binding.BindInput(_sampleName, _sampleValue);
        _binding.BindInput(_timestepName, _timestepValue);
        if (_onDevice)
        {
            _binding.SynchronizeBoundInputs();
        }

        _graph.RunWithBinding(_binding, clock);
        if (_onDevice)
        {
            _binding.SynchronizeBoundOutputs();
        }

        if (_outputHalves is not null)
        {
            OrtTensors.ToFloats(_outputHalves, _output);
        }

        return _output;
    }

    public void Dispose()
    {
        _binding.Dispose();
        foreach (var value in _values)
        {
            value.Dispose();
        }
    }

    private void Bind(TensorKind kind, float[] data, long[] shape) =>
        _binding.BindInput(kind.Name, Own(OrtTensors.FromFloats(data, shape, kind)));

    private (Array, OrtValue) Timesteps<T>(T[] buffer, long[] shape) where T : unmanaged =>
        (buffer, Own(OrtValue.CreateTensorValueFromMemory(buffer, shape)));

    private OrtValue Own(OrtValue value)
    {
        _values.Add(value);
        return value;
    }
}

/// <summary>What a binding was made for: the constant inputs by reference (a run passes the same arrays, unchanged,
/// at every step that uses them) and the sample's shape.</summary>
internal readonly record struct BindingKey(float[] Hidden, float[]? TimestepCond, AddedConditions? Added, int Batch, int Channels, int Height, int Width)
{
    public bool Matches(Latents sample, float[] hidden, float[]? timestepCond, AddedConditions? added) =>
        ReferenceEquals(Hidden, hidden) && ReferenceEquals(TimestepCond, timestepCond) && ReferenceEquals(Added, added) &&
        Batch == sample.Batch && Channels == sample.Channels && Height == sample.Height && Width == sample.Width;
}

/// <summary>The UNet's inputs and output as its graph declares them.</summary>
internal sealed record UNetInputs(TensorKind Sample, TensorKind Timestep, TensorKind Hidden, TensorKind? TimestepCond,
    TensorKind? TextEmbeds, TensorKind? TimeIds, TensorKind Output);
