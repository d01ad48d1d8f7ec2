using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Models;

/// <summary>
/// One job's use of the UNet (<see cref="UNet.StartRun"/>), the one way a pipeline runs it: dispose it when the job
/// ends. With <see cref="ModelLoadOptions.IoBinding"/> on it keeps an IOBinding per set of constant inputs it is fed
/// (<see cref="UNetBinding"/>): one for a batched CFG run, one per prompt where they run apart (a UNet exported for
/// batch 1, or prompts of different lengths), a new one where an edited prompt changes the text. The InferenceSessions are
/// shared by concurrent jobs, so bindings belong to a run, never to the InferenceSession. Off, every call makes its inputs
/// and reads its output as plain <c>Run</c> does.
/// </summary>
/// <remarks>The scheduler runs on the CPU, so the sample still goes up and the prediction comes down once per step
/// on CUDA; what the binding saves is the text conditioning's upload at every step and the output's allocation.</remarks>
public sealed class UNetRun : IDisposable
{
    // Enough for CFG as two batch-1 calls (two texts) or an instruction edit's two texts, and a prompt edit's switch;
    // the least recently used goes beyond it.
    private const int MaxBindings = 4;

    private readonly UNet _unet;
    private readonly RunClock? _clock;
    private readonly List<UNetBinding>? _bindings;

    internal UNetRun(UNet unet, bool ioBinding, RunClock? clock)
    {
        _unet = unet;
        _clock = clock;
        _bindings = ioBinding ? [] : null;
    }

    /// <summary>Whether this run goes through IOBindings.</summary>
    public bool UsesIoBinding => _bindings is not null;

    /// <summary>IOBindings this run has made.</summary>
    public int BindingsMade { get; private set; }

    /// <summary>Predicts noise for a batch. <paramref name="hidden"/> holds one row of text states per sample, and for
    /// SDXL <paramref name="added"/> one row of pooled text embeds and time ids per sample. Pass the same arrays,
    /// unchanged, at every step that uses them: a binding is kept per set of them. The result is valid until the
    /// next call.</summary>
    public ReadOnlySpan<float> Predict(Latents sample, float timestep, float[] hidden, int hiddenLength, int hiddenWidth, float[]? timestepCond,
        AddedConditions? added = null)
    {
        _unet.CheckConditions(timestepCond, added);
        if (_bindings is null)
        {
            return _unet.PredictUnbound(sample, timestep, hidden, hiddenLength, hiddenWidth, timestepCond, added, _clock);
        }

        UNetBinding? binding = null;
        foreach (var made in _bindings)
        {
            if (made.Key.Matches(sample, hidden, timestepCond, added))
            {
                binding = made;
                break;
            }
        }

        if (binding is null)
        {
            if (_bindings.Count == MaxBindings)
            {
                _unet.Release(_bindings[0]);
                _bindings.RemoveAt(0);
            }

            binding = _unet.Bind(sample, hidden, hiddenLength, hiddenWidth, timestepCond, added);
            BindingsMade++;
        }
        else
        {
            _bindings.Remove(binding);
        }

        _bindings.Add(binding);
        _unet.CountBoundCall(sample.Batch);
        return binding.Run(sample, timestep, _clock);
    }

    public void Dispose()
    {
        foreach (var binding in _bindings ?? [])
        {
            _unet.Release(binding);
        }

        _bindings?.Clear();
    }
}
