using System.Collections.Concurrent;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Web.Engine;
using WebStudio.Studio.Engine;

namespace WebStudio.Web.Tests.Infrastructure;

/// <summary>
/// A generation engine the tests drive: it validates like the core, records which jobs ran (by prompt), and can
/// hold every run at a gate so that tests arrange the queue before anything finishes.
/// </summary>
public sealed class ScriptedEngine : IGenerationEngine
{
    private readonly SemaphoreSlim _gate = new(0, int.MaxValue);
    private volatile bool _open = true;

    public ConcurrentQueue<string> Started { get; } = new();

    public ConcurrentQueue<string> Finished { get; } = new();

    /// <summary>Steps run after the callback asked to stop (must stay 0: cancel takes effect within one step).</summary>
    public int StepsAfterStop;

    public TimeSpan StepDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>When set, each step also waits for the watcher to receive a frame.</summary>
    public WatcherPace? Pace { get; set; }

    /// <summary>A run with this prompt fails as a broken model would.</summary>
    public const string FailingPrompt = "fail please";

    public int DeviceCount => 1;

    public IReadOnlyList<string> Schedulers { get; } = ["Euler a", "Euler", "DDIM"];

    public string DescribeExecutionProvider() => "scripted (tests)";

    public IReadOnlyList<EngineModel> Models() => [new EngineModel("tiny", 64, 64)];

    /// <summary>From now on each run waits at its start until <see cref="Release"/>.</summary>
    public void Hold() => _open = false;

    public void Release(int runs = 1) => _gate.Release(runs);

    public void Open()
    {
        _open = true;
        _gate.Release(1000);
    }

    /// <summary>The scripted model has no tokenizer, like a model whose tokenizer cannot be read: no count.</summary>
    public PromptLength? MeasurePrompt(string model, string prompt, int steps) => null;

    public IReadOnlyList<FieldProblem> Validate(JobParameters p)
    {
        var problems = new List<FieldProblem>();
        if (p.Model != "tiny")
        {
            problems.Add(new("model", $"there is no model called '{p.Model}'"));
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

    public async Task<IReadOnlyList<EngineImage>> RunAsync(JobParameters p, Func<EngineStep, bool> onStep, CancellationToken cancellationToken)
    {
        Started.Enqueue(p.Prompt);
        if (p.Prompt == FailingPrompt)
        {
            throw new InvalidOperationException("the model's unet/model.onnx is damaged");
        }

        if (!_open)
        {
            await _gate.WaitAsync(cancellationToken);
        }

        for (var i = 0; i < p.Steps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Delay(StepDelay, cancellationToken);
            var shade = (byte)(i * 255 / Math.Max(1, p.Steps - 1));
            if (!onStep(new EngineStep(i, p.Steps, () => new PreviewPixels(Enumerable.Repeat(shade, 2 * 2 * 3).ToArray(), 2, 2))))
            {
                throw new OperationCanceledException("stopped by the step callback");
            }

            Pace?.WaitForWatcher(cancellationToken);
        }

        Finished.Enqueue(p.Prompt);
        return Enumerable.Range(0, p.BatchSize)
            .Select(b => new EngineImage(new Image<Rgb24>(p.Width, p.Height, new Rgb24(10, (byte)(20 * b), 200)), p.Seed + b))
            .ToList();
    }
}
