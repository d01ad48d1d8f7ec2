using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WebStudio.Generation.Imaging;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Previews;
using WebStudio.Generation.Schedulers;
using WebStudio.Generation.Text;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Engine;

/// <summary>The real engine: the generation core's model cache and Stable Diffusion pipeline on ONNX Runtime.</summary>
public sealed class OnnxGenerationEngine : IGenerationEngine, IDisposable
{
    private readonly ModelCatalog _catalog;
    private readonly ModelCache _cache;
    private readonly GenerationOptions _options;
    private readonly JobMemoryAdmission _admission;
    private readonly PreviewDecoders _previews;

    // Tokenizers for the prompt counter, read from each model's tokenizer/ folder without loading its graphs.
    private readonly ConcurrentDictionary<string, ClipTokenizer> _tokenizers = new(StringComparer.Ordinal);

    public OnnxGenerationEngine(IOptions<GenerationOptions> options, ComputeThreads compute, ILogger<ModelCache> logger)
    {
        _options = options.Value;
        _catalog = new ModelCatalog(Path.GetFullPath(_options.ModelsPath));
        var load = _options.LoadOptions() with { Compute = compute };
        _cache = new ModelCache(_catalog, load, logger, _options.MaxLoadedModels, _options.ModelMemoryBudgetMB * 1024 * 1024);
        _admission = new JobMemoryAdmission(_options, _catalog);
        _previews = new PreviewDecoders(_options.Previews(), load, logger);
    }

    public int DeviceCount => 1;

    public IReadOnlyList<string> Schedulers => SchedulerNames.All;

    public string DescribeExecutionProvider()
    {
        if (!_options.UseCuda && !_options.UseTensorRt)
        {
            return "CPU (CUDA disabled in appsettings.json, Generation:UseCuda)";
        }

        // Checked now, not only once a model has loaded, so that a start on a machine without CUDA says CPU and why.
        var trt = _options.UseTensorRt ? ExecutionProviders.CheckTensorRt(_options.CudaDeviceId) : null;
        if (_options.UseTensorRt && trt is null)
        {
            return $"TensorRT on CUDA device {_options.CudaDeviceId} when the model loads (falls back to CUDA, then CPU, with the reason logged)";
        }

        var declined = trt is null ? "" : $"TensorRT unavailable: {trt}; ";
        return ExecutionProviders.CheckCuda(_options.CudaDeviceId) is { } failure
            ? $"CPU ({declined}CUDA unavailable: {failure})"
            : $"CUDA device {_options.CudaDeviceId} when the model loads ({declined}falls back to CPU with the reason logged)";
    }

    public IReadOnlyList<string> LoadedModels() => _cache.Loaded;

    public TimeSpan? LoadTimeOf(string model) => _cache.LoadTimeOf(model);

    public IReadOnlyList<EngineModel> Models() =>
        _catalog.List().Select(m => new EngineModel(m.Name, m.NativeWidth, m.NativeHeight) { SizeMultiple = m.SizeMultiple, EditsByInstruction = m.EditsByInstruction, Family = m.Family }).ToList();

    public IReadOnlyList<FieldProblem> Validate(DiffusionRun run)
    {
        var models = Models();
        var model = models.FirstOrDefault(m => string.Equals(m.Name, run.Model, StringComparison.Ordinal));
        var problems = GenerationRequestValidator.Validate(ToRequest(run), model?.EditsByInstruction ?? false)
            .Select(p => new FieldProblem(p.Field, p.Message)).ToList();
        if (model is null)
        {
            // A side left out is the model's native one (0 until then): with no such model, only the model is wrong.
            problems.RemoveAll(p => p.Field == "width" && run.Width == 0 || p.Field == "height" && run.Height == 0);
            problems.Insert(0, new FieldProblem("model", $"there is no model called '{run.Model}'"));
        }
        else if (problems.Count == 0)
        {
            // Sizes the core accepts (multiples of 8) that this model's UNet cannot run would fail on the worker.
            problems.AddRange(ModelSizes.Check(model, run));
        }

        if (run.Spec is JobSpec.Txt2Img { Refiner: { } refiner } txt2img && model is not null)
        {
            problems.AddRange(CheckRefiner(model, models.FirstOrDefault(m => string.Equals(m.Name, refiner, StringComparison.Ordinal)), refiner, txt2img.RefinerSwitchAt));
        }

        // Only a request that is otherwise valid is weighed: its size and batch are then within the core's limits.
        if (problems.Count == 0 && _admission.Check(run) is { } tooBig)
        {
            problems.Add(tooBig);
        }

        return problems;
    }

    // Checked against the catalogue, without loading the refiner: the core checks the loaded one again on the worker.
    private static IEnumerable<FieldProblem> CheckRefiner(EngineModel model, EngineModel? refiner, string name, float switchAt)
    {
        if (refiner is null)
        {
            yield return new FieldProblem("refiner", $"there is no model called '{name}' to refine with");
        }
        else if (refiner.EditsByInstruction || refiner.Family != model.Family)
        {
            yield return new FieldProblem("refiner", $"'{name}' cannot refine '{model.Name}': a refiner must be a text-to-image model of the same family ({model.Family})");
        }

        if (GenerationRequestValidator.RefinerSwitchProblem(switchAt) is { } problem)
        {
            yield return new FieldProblem(problem.Field, problem.Message);
        }
    }

    public PromptLength? MeasurePrompt(string model, string prompt, int steps)
    {
        // A prompt over the limit is refused at submission with its own message; the counter (called on every
        // keystroke) must not spend the attention parser's worst case, quadratic in unclosed brackets, on it.
        if (prompt is null || prompt.Length > GenerationRequest.MaxPromptLength)
        {
            return null;
        }

        ClipTokenizer tokenizer;
        try
        {
            tokenizer = _tokenizers.GetOrAdd(model, name => StableDiffusionModel.LoadTokenizer(_catalog.ResolveFolder(name)));
        }
        catch (Exception ex) when (ex is ModelNotFoundException or ModelLoadException)
        {
            return null; // a missing or broken model is reported when it is used; the counter just stays hidden
        }

        // An alternation gives a text per step but only a few distinct ones: each is tokenized once.
        var longest = PromptSchedule.Build(prompt, Math.Clamp(steps, 1, GenerationRequest.MaxSteps))
            .Select(p => p.Text)
            .Distinct(StringComparer.Ordinal)
            .Select(text => PromptWeighting.Tokenize(tokenizer, text))
            .MaxBy(w => w.TextTokens)!;
        return new PromptLength(longest.TextTokens, longest.Chunks.Count * tokenizer.TextCapacity, longest.Truncated);
    }

    public async Task<IReadOnlyList<EngineImage>> RunAsync(DiffusionRun run, Func<EngineStep, bool> onStep, CancellationToken cancellationToken)
    {
        using var lease = _cache.Rent(run.Model);
        var txt2img = run.Spec as JobSpec.Txt2Img;
        using var refiner = txt2img?.Refiner is { } name ? _cache.Rent(name) : null;
        var pipeline = new StableDiffusionPipeline(lease.Model);
        var request = refiner is null ? ToRequest(run) : ToRequest(run) with { Refiner = new RefinerPass(refiner.Model, txt2img!.RefinerSwitchAt) };

        // With a hires fix, the progress counts both passes: every image's second pass follows the first pass's steps.
        var hires = txt2img?.Hires;
        var perImage = hires?.DenoisingSteps(request.Steps) ?? 0;
        var first = new StepCallback(onStep, _previews.StartRun(pipeline), later: perImage * request.BatchSize);
        using var result = await pipeline.RunAsync(request, first, cancellationToken);
        if (hires is null)
        {
            // The result disposes its images; hand the caller its own copies.
            return result.Images.Select(i => new EngineImage(i.Image.Clone(), i.Seed)).ToList();
        }

        var images = new List<EngineImage>(result.Images.Count);
        var done = first.LastTotal - perImage * request.BatchSize;
        foreach (var image in result.Images)
        {
            // Each image on its own seed, as it would be redrawn from the result panel (HiresFix.Plan).
            var plan = HiresFix.Plan(request with { Seed = image.Seed, VariationSeed = null, VariationStrength = 0f, Refiner = null },
                image.Image, hires.Factor, hires.Strength) with { Steps = hires.ScheduledSteps(request.Steps) };
            using var upscaled = plan.InitImage;
            var left = perImage * (request.BatchSize - images.Count - 1);
            using var second = await pipeline.RunAsync(plan, new StepCallback(onStep, _previews.StartRun(pipeline), done, left), cancellationToken);
            images.Add(new EngineImage(second.Images[0].Image.Clone(), image.Seed));
            done += perImage;
        }

        return images;
    }

    public void Dispose()
    {
        _cache.Dispose();
        _previews.Dispose();
    }

    /// <summary>The one mapping from a spec to the core's request: each kind sets what it uses.</summary>
    private static GenerationRequest ToRequest(DiffusionRun run)
    {
        var spec = run.Spec;
        var request = new GenerationRequest
        {
            Prompt = spec.Prompt,
            NegativePrompt = spec.NegativePrompt,
            Scheduler = spec.Scheduler,
            Steps = spec.Steps,
            Guidance = spec.Guidance,
            GuidanceRescale = spec.GuidanceRescale,
            Seed = spec.Seed,
            Width = run.Width,
            Height = run.Height,
            BatchSize = spec.BatchSize,
            InitImage = run.InitImage,
            Mask = run.Mask,
            Strength = spec.Denoise,
        };
        return spec switch
        {
            JobSpec.Inpaint inpaint => request with
            {
                MaskFeather = inpaint.MaskBlur,
                InpaintOnlyMasked = inpaint.OnlyMasked,
                OnlyMaskedPadding = inpaint.OnlyMasked ? inpaint.OnlyMaskedPadding : null,
            },
            JobSpec.Outpaint outpaint => request with { MaskFeather = outpaint.MaskBlur },
            JobSpec.Txt2Img txt2img => request with { VariationSeed = txt2img.VariationSeed, VariationStrength = txt2img.VariationStrength },
            JobSpec.InstructEdit edit => request with
            {
                InstructionEdit = new InstructionEdit { TextGuidance = edit.Guidance, ImageGuidance = edit.ImageGuidance, AutoMaskThreshold = edit.AutoMask },
            },
            _ => request,
        };
    }

    // A pass's steps as the job's: the earlier passes' steps come first (before), and the later passes' (later) are
    // counted in the total.
    private sealed class StepCallback(Func<EngineStep, bool> onStep, StepPreviews previews, int before = 0, int later = 0) : IStepCallback
    {
        /// <summary>The job's total as this pass last told it.</summary>
        public int LastTotal { get; private set; }

        public bool OnStep(StepProgress progress)
        {
            LastTotal = before + progress.TotalSteps + later;
            return onStep(new EngineStep(before + progress.StepIndex, LastTotal, () =>
            {
                var frame = previews.Frame(progress);
                return new PreviewPixels(frame.Rgb, frame.Width, frame.Height);
            }));
        }
    }
}
