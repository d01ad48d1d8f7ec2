using System.Collections.Concurrent;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Web.Engine;
using WebStudio.Studio.Engine;

namespace WebStudio.Tests.Shared;

/// <summary>
/// The one generation engine the tests drive. Alone it is scripted: it validates like the core, draws flat images and
/// fails on <see cref="FailingPrompt"/>. Over a real engine (<paramref name="inner"/>) it runs that engine, slowed as
/// a test needs: a warm tiny model otherwise finishes a whole run in a few milliseconds, before a watcher attaches or
/// a dropped connection is noticed. Either way it records which jobs ran (by prompt), can hold every run at a gate so
/// that tests arrange the queue before anything finishes, pauses <see cref="StepDelay"/> a step, and can wait for a
/// watcher to receive each step's frame (<see cref="Pace"/>). Compiled into the test assemblies that reference the web
/// project (WebStudio.Testing cannot hold it: Generation.Tests uses that library and must not reference the web app).
/// </summary>
public sealed class ScriptedEngine(IGenerationEngine? inner = null) : IGenerationEngine
{
    private readonly SemaphoreSlim _gate = new(0, int.MaxValue);
    private volatile bool _open = true;

    public ConcurrentQueue<string> Started { get; } = new();

    public ConcurrentQueue<string> Finished { get; } = new();

    /// <summary>Steps run after the callback asked to stop (must stay 0: cancel takes effect within one step).</summary>
    public int StepsAfterStop;

    /// <summary>Step previews the runner asked for (it asks only while someone watches).</summary>
    public int PreviewsDrawn;

    /// <summary>The pause after each step: 2 ms when scripted; none over a real engine unless set (it is then slept on
    /// the generation thread, where a slower model spends its time).</summary>
    public TimeSpan StepDelay { get; set; } = inner is null ? TimeSpan.FromMilliseconds(2) : TimeSpan.Zero;

    /// <summary>When set, each step also waits for the watcher to receive a frame.</summary>
    public WatcherPace? Pace { get; set; }

    /// <summary>A run with this prompt fails as a broken model would.</summary>
    public const string FailingPrompt = "fail please";

    public int DeviceCount => inner?.DeviceCount ?? 1;

    public IReadOnlyList<string> Schedulers { get; } = inner?.Schedulers ?? ["Euler a", "Euler", "DDIM"];

    public string DescribeExecutionProvider() => inner?.DescribeExecutionProvider() ?? "scripted (tests)";

    public IReadOnlyList<EngineModel> Models() => inner?.Models() ?? [new EngineModel("tiny", 64, 64)];

    /// <summary>Scripted: the one model counts as loaded once a run has started.</summary>
    public IReadOnlyList<string> LoadedModels() => inner?.LoadedModels() ?? (Started.IsEmpty ? [] : ["tiny"]);

    /// <summary>The real engine's measured loads; the scripted model takes no time to load, and none is measured.</summary>
    public TimeSpan? LoadTimeOf(string model) => inner?.LoadTimeOf(model);

    /// <summary>From now on each run waits at its start until <see cref="Release"/>.</summary>
    public void Hold() => _open = false;

    public void Release(int runs = 1) => _gate.Release(runs);

    public void Open()
    {
        _open = true;
        _gate.Release(1000);
    }

    /// <summary>The scripted model has no tokenizer, like a model whose tokenizer cannot be read: no count.</summary>
    public PromptLength? MeasurePrompt(string model, string prompt, int steps) => inner?.MeasurePrompt(model, prompt, steps);

    public IReadOnlyList<FieldProblem> Validate(DiffusionRun p) => inner?.Validate(p) ?? ValidateScripted(p);

    private static List<FieldProblem> ValidateScripted(DiffusionRun p)
    {
        var problems = new List<FieldProblem>();
        if (p.Model != "tiny")
        {
            problems.Add(new("model", $"there is no model called '{p.Model}'"));
        }

        if (p.Spec.Prompt.Length > WebStudio.Generation.Pipelines.GenerationRequest.MaxPromptLength)
        {
            problems.Add(new("prompt", $"the prompt must be at most {WebStudio.Generation.Pipelines.GenerationRequest.MaxPromptLength:N0} characters"));
        }

        if (p.Steps is < 1 or > 150)
        {
            problems.Add(new("steps", "steps must be between 1 and 150"));
        }

        if (p.Width % 8 != 0 || p.Width < 64 || p.Height % 8 != 0 || p.Height < 64)
        {
            problems.Add(new("width", "width must be between 64 and 2048 pixels, in multiples of 8"));
        }

        return problems;
    }

    public async Task<IReadOnlyList<EngineImage>> RunAsync(DiffusionRun p, Func<EngineStep, bool> onStep, CancellationToken cancellationToken)
    {
        Started.Enqueue(p.Spec.Prompt);
        if (inner is null && p.Spec.Prompt == FailingPrompt)
        {
            throw new InvalidOperationException("the model's unet/model.onnx is damaged");
        }

        if (!_open)
        {
            await _gate.WaitAsync(cancellationToken);
        }

        if (inner is not null)
        {
            var images = await inner.RunAsync(p, step =>
            {
                var go = onStep(step);
                Pace?.WaitForWatcher(cancellationToken);
                Thread.Sleep(StepDelay);
                return go;
            }, cancellationToken);
            Finished.Enqueue(p.Spec.Prompt);
            return images;
        }

        for (var i = 0; i < p.Steps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Delay(StepDelay, cancellationToken);
            var shade = (byte)(i * 255 / Math.Max(1, p.Steps - 1));
            if (!onStep(new EngineStep(i, p.Steps, () =>
            {
                Interlocked.Increment(ref PreviewsDrawn);
                return new PreviewPixels(Enumerable.Repeat(shade, 2 * 2 * 3).ToArray(), 2, 2);
            })))
            {
                throw new OperationCanceledException("stopped by the step callback");
            }

            Pace?.WaitForWatcher(cancellationToken);
        }

        Finished.Enqueue(p.Spec.Prompt);
        return Enumerable.Range(0, p.BatchSize)
            .Select(b => new EngineImage(new Image<Rgb24>(p.Width, p.Height, new Rgb24(10, (byte)(20 * b), 200)), p.Seed + b))
            .ToList();
    }
}
