using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using WebStudio.Data;
using GenerationRequest = WebStudio.Generation.Pipelines.GenerationRequest;
using InstructionEdit = WebStudio.Generation.Pipelines.InstructionEdit;
using ImageToImageSteps = WebStudio.Generation.Pipelines.ImageToImageSteps;
using WebStudio.Web.Engine;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Web.Options;
using WebStudio.Studio.Options;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Storage;
using WebStudio.Studio.Team;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Usage;
using WebStudio.Studio.Vocabulary;

namespace WebStudio.Web.Api;

/// <summary>The jobs one API request queued, and the size and steps they run with.</summary>
public sealed record ApiSubmission(IReadOnlyList<GenerationJob> Jobs, int Width, int Height, int Steps)
{
    /// <summary>The seed of the first image; image i has this seed plus i, except in a varied request (all keep it).</summary>
    public long Seed { get; init; }

    /// <summary>A varied request's variation seed of the first image; image i has this plus i. Null for none.</summary>
    public long? VariationSeed { get; init; }

    public string Size => SizePresets.Format(Width, Height);
}

/// <summary>
/// Runs Images API requests as ordinary studio jobs: submitted through the same queue (fairness, per-user limit,
/// rate limit), stored in the user's history, watched through the same progress notifier as the studio. A
/// request for more images than one batch holds becomes several jobs with consecutive seeds.
/// </summary>
public sealed class ApiImageService(
    JobQueue queue,
    SeedSource seeds,
    IGenerationEngine engine,
    JobProgressNotifier notifier,
    IDbContextFactory<StudioDbContext> dbFactory,
    ImageStore store,
    IOptions<GenerationOptions> generation,
    IHostApplicationLifetime lifetime,
    UsageMetering usage,
    ModelCards cards,
    TeamPolicies policies,
    ILogger<ApiImageService> logger)
{
    /// <summary>img2img strength of an edit without a mask, and of a variation (which keeps more of the source).</summary>
    public const float EditStrength = 0.75f, VariationStrength = 0.6f;

    /// <summary>An edit with a mask repaints the masked area from pure noise.</summary>
    public const float InpaintStrength = 1f;

    /// <summary>Seconds a client is told to wait when the server shuts down under its request (a restart).</summary>
    public const int ShutdownRetrySeconds = 30;

    /// <summary>The model a request names, or, where it names none, the studio's default model if the key owner's role
    /// may use it, else the first text-to-image model it may (as the Generate form starts). A model the role may not use
    /// is answered as OpenAI answers one a key cannot reach.</summary>
    public async Task<EngineModel> ResolveModelAsync(string userId, string? name, CancellationToken cancellationToken)
    {
        var models = engine.Models();
        var allows = (await policies.ForUserAsync(userId, cancellationToken)).AllowsModel;
        name ??= ModelChoices.Default(models, generation.Value.DefaultModel, allows);
        var shown = name.Length > 100 ? name[..100] + "…" : name;
        return models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal)) is not { } model
            ? throw new ApiException(StatusCodes.Status404NotFound, $"The model '{shown}' does not exist. GET /v1/models lists the models of this server.", "model", "model_not_found")
            : allows(model.Name) ? model
            : throw new ApiException(StatusCodes.Status404NotFound, $"The model '{shown}' does not exist or your role may not use it. GET /v1/models lists the models you may use.", "model", "model_not_found");
    }

    /// <summary>The answer's usage block, once the submission's jobs have ended: its output tokens come from their
    /// usage records, the record the administrator's usage report reads.</summary>
    public async Task<ImageUsage> UsageAsync(ApiSubmission submission, ImageRequest request, CancellationToken cancellationToken) =>
        ImageUsage.For(request, await usage.StepsRunAsync([.. submission.Jobs.Select(j => j.Id)], cancellationToken));

    public async Task<ApiSubmission> SubmitAsync(string userId, ImageRequest request, CancellationToken cancellationToken)
    {
        var model = await ResolveModelAsync(userId, request.Model, cancellationToken);
        using var edit = request.Image is null ? null : ApiUploads.Read(request);
        if (edit is not null && request.Refiner is not null)
        {
            throw ApiException.BadField("refiner", "'refiner' finishes generations (/v1/images/generations); edits and variations run on one model.", "invalid_value");
        }

        if (edit is not null && request.VariationStrength is > 0f)
        {
            throw ApiException.BadField("variation_strength", "'variation_strength' varies generations (/v1/images/generations); an edit starts from its image.", "invalid_value");
        }

        // What a request leaves out, the model's own defaults (card.json) give before the studio's.
        var defaults = cards.DefaultsFor(model.Name);
        var (width, height) = edit is not null ? (edit.Image.Width, edit.Image.Height) : request.Size ?? DefaultSize(defaults) ?? (model.NativeWidth, model.NativeHeight);
        var steps = request.Steps ?? (request.Quality == "auto" && defaults?.Steps is { } modelSteps ? modelSteps : ApiQuality.Steps(request.Quality));
        var requested = Spec(request, edit, model, steps, defaults);
        if (request.Steps is null && edit is not null)
        {
            // A model's few steps (Turbo's 1) at an edit's strength could denoise none: raised as the Edit page does.
            steps = ImageToImageSteps.AtLeastOne(steps, requested.Denoise);
            requested = requested with { Steps = steps };
        }

        var seed = request.Seed ?? seeds.Next();
        if (requested is JobSpec.Txt2Img { VariationSeed: -1 } unseeded)
        {
            // Picked once, so that the variation seeds of every job of the request count on from it.
            requested = unseeded with { VariationSeed = seeds.Next() };
        }
        var jobs = new List<GenerationJob>();
        for (var first = 0; first < request.N; first += GenerationRequest.MaxBatch)
        {
            var spec = NextBatch(requested, seed, first, Math.Min(GenerationRequest.MaxBatch, request.N - first));
            if (InstructionModels.Check(spec, engine.Models()) is { } wrongKind)
            {
                // A generation on an instruction model: a 400 that names a model that fits (the first batch, nothing queued yet).
                throw ApiException.BadField("model", wrongKind.Message);
            }

            // The upload's images belong to `edit`; the queue writes them to the job input store.
            var inputs = edit is null ? null : new JobInputs(edit.Image, edit.Mask, width, height);
            var outcome = await queue.SubmitAsync(userId, spec, inputs, JobSource.Api, cancellationToken);
            if (outcome.Refusal != SubmitRefusal.None)
            {
                foreach (var queued in jobs)
                {
                    await queue.CancelAsync(queued.Id, userId, isAdmin: false, CancellationToken.None);
                }

                throw Refused(outcome);
            }

            jobs.Add(outcome.Job!);
        }

        logger.LogInformation("API {Operation} by {UserId}: {Count} image(s) in {Jobs} job(s)", request.Operation, userId, request.N, jobs.Count);
        return new ApiSubmission(jobs, width, height, steps) { Seed = seed, VariationSeed = (requested as JobSpec.Txt2Img)?.VariationSeedOf(0) };
    }

    /// <summary>The job of images <paramref name="first"/>… of a request: consecutive seeds, or in a varied request
    /// (A1111's), the one seed and consecutive variation seeds.</summary>
    private static JobSpec.Diffusion NextBatch(JobSpec.Diffusion requested, long seed, int first, int count) => requested switch
    {
        JobSpec.Txt2Img { VariationSeed: { } variation, VariationStrength: > 0f } varied => varied with
        {
            Seed = seed, BatchSize = count, VariationSeed = variation + first,
        },
        _ => requested with { Seed = seed + first, BatchSize = count },
    };

    /// <summary>The one mapping from an OpenAI request to a spec: a generation is text to image at the request's
    /// size; an edit with a mask repaints the masked area from noise, without one (and a variation) it redraws the
    /// whole picture at the API's fixed strengths.</summary>
    internal static JobSpec.Diffusion Spec(ImageRequest request, ApiEditInput? edit, EngineModel model, int steps, ModelGenerationDefaults? defaults = null) =>
        Spec(request, edit, model.Name, steps, model.EditsByInstruction, defaults);

    private static (int Width, int Height)? DefaultSize(ModelGenerationDefaults? defaults) =>
        defaults is { Width: { } width, Height: { } height } ? (width, height) : null;

    /// <summary>On an instruction model (issue 22) an edit's prompt is the instruction, and a mask (optional) only
    /// limits where it may change; <c>guidance_scale</c> is its text guidance.</summary>
    internal static JobSpec.Diffusion Spec(ImageRequest request, ApiEditInput? edit, string model, int steps, bool editsByInstruction = false,
        ModelGenerationDefaults? defaults = null) => Extended(request, defaults, (edit, request.Operation) switch
    {
        (not null, ImageOperation.Edit) when editsByInstruction => new JobSpec.InstructEdit
        {
            ImageGuidance = request.ImageGuidanceScale ?? defaults?.ImageGuidance ?? InstructionEdit.DefaultImageGuidance, Prompt = request.Prompt, Model = model, Steps = steps,
            AutoMask = WebStudio.Studio.Editing.EditSettings.AutoMaskOf(request.AutoMask, defaults?.AutoMask),
        },
        (null, _) => new JobSpec.Txt2Img
        {
            Width = (request.Size ?? DefaultSize(defaults))?.Width, Height = (request.Size ?? DefaultSize(defaults))?.Height, Prompt = request.Prompt, Model = model, Steps = steps,
            Refiner = request.Refiner, RefinerSwitchAt = request.RefinerSwitchAt ?? WebStudio.Generation.Pipelines.RefinerPass.DefaultSwitchAt,
            VariationStrength = request.VariationStrength ?? 0f, VariationSeed = request.VariationStrength > 0f ? request.VariationSeed ?? -1 : null,
        },
        ({ Mask: not null }, _) => new JobSpec.Inpaint { Strength = InpaintStrength, OnlyMasked = false, Prompt = request.Prompt, Model = model, Steps = steps },
        (_, ImageOperation.Variation) => new JobSpec.Img2Img { Strength = VariationStrength, Prompt = request.Prompt, Model = model, Steps = steps },
        _ => new JobSpec.Img2Img { Strength = EditStrength, Prompt = request.Prompt, Model = model, Steps = steps },
    });

    /// <summary>The extension fields a request gave; the model's defaults, then the spec's (the studio's), for the rest.</summary>
    private static JobSpec.Diffusion Extended(ImageRequest request, ModelGenerationDefaults? defaults, JobSpec.Diffusion spec) => spec with
    {
        NegativePrompt = request.NegativePrompt ?? spec.NegativePrompt,
        Guidance = request.GuidanceScale ?? defaults?.Guidance ?? spec.Guidance,
        GuidanceRescale = spec is JobSpec.InstructEdit ? 0f : request.GuidanceRescale ?? 0f,
        Scheduler = request.Sampler ?? defaults?.Sampler ?? spec.Scheduler,
    };

    /// <summary>
    /// Waits for every job of <paramref name="submission"/>; <paramref name="onPartial"/> (when given) receives up
    /// to <see cref="ImageRequest.PartialImages"/> previews of the first job, taken at evenly spaced steps. It is
    /// called on the worker's thread and must only hand the bytes on. If <paramref name="aborted"/> fires (the
    /// client went away), the wait ends with <see cref="OperationCanceledException"/> and the caller abandons the jobs
    /// (<see cref="AbandonAsync"/>). If the server
    /// stops meanwhile, the wait ends with a 503 and the jobs are left to the queue (a running one goes back to it),
    /// so the shutdown is not held up and a restart runs them.
    /// </summary>
    public async Task<IReadOnlyList<GeneratedImage>> WaitAsync(
        ApiSubmission submission, ImageRequest request, Action<int, byte[]>? onPartial, CancellationToken aborted)
    {
        for (var i = 0; i < submission.Jobs.Count; i++)
        {
            var job = submission.Jobs[i];
            var partials = i == 0 ? onPartial : null;
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var emitted = 0;

            // A subscription, unlike a preview watch, sees every step (synchronously, on the worker's thread), so no
            // partial image is lost to frame skipping; the step's frame is the notifier's latest at that moment.
            var subscription = notifier.SubscribeJob(job.Id, state =>
            {
                if (partials is not null && emitted < request.PartialImages && state.Status == nameof(JobStatus.Running)
                    && state.Step < state.TotalSteps && state.Step >= PartialStep(emitted, request.PartialImages, state.TotalSteps)
                    && notifier.GetLatestFrame(job.Id) is { Png: { } png })
                {
                    partials(emitted++, png);
                }

                if (state.Status is nameof(JobStatus.Succeeded) or nameof(JobStatus.Failed) or nameof(JobStatus.Canceled))
                {
                    ended.TrySetResult();
                }

                return Task.CompletedTask;
            }, withPictures: partials is not null && request.PartialImages > 0);
            try
            {
                if (await HasEndedAsync(job.Id))
                {
                    ended.TrySetResult(); // it ended before the subscription began
                }

                await ended.Task.WaitAsync(aborted).WaitAsync(lifetime.ApplicationStopping);
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                throw new ApiException(StatusCodes.Status503ServiceUnavailable,
                    "The server is shutting down. Your jobs stay queued and run after it restarts; they will be in your studio history.",
                    null, "server_shutting_down") { RetryAfterSeconds = ShutdownRetrySeconds };
            }
            finally
            {
                subscription.Dispose();
            }
        }

        return await ResultsAsync(submission);
    }

    /// <summary>The step after which partial image <paramref name="index"/> of <paramref name="count"/> is taken: evenly spaced, never the last.</summary>
    public static int PartialStep(int index, int count, int totalSteps) => (int)Math.Ceiling(totalSteps * (index + 1) / (double)(count + 1));

    /// <summary>A preview frame (latent resolution) scaled to the output size and encoded as the request asks.</summary>
    public static byte[] EncodePartial(byte[] previewPng, ApiSubmission submission, ImageRequest request)
    {
        using var image = Image.Load<Rgb24>(previewPng);
        image.Mutate(c => c.Resize(submission.Width, submission.Height, KnownResamplers.Bicubic));
        return ImageEncoding.Encode(image, request.OutputFormat, request.OutputCompression);
    }

    /// <summary>A stored image in the requested format (the stored PNG itself when no re-encoding is asked for).</summary>
    public async Task<byte[]?> ReadImageAsync(GeneratedImage image, string format, int? compression, CancellationToken cancellationToken)
    {
        if (store.Resolve(image.FileName) is not { } path)
        {
            return null;
        }

        if (format == "png" && compression is null)
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }

        using var decoded = await Image.LoadAsync<Rgb24>(path, cancellationToken);
        return ImageEncoding.Encode(decoded, format, compression);
    }

    private async Task<bool> HasEndedAsync(Guid jobId)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var status = await db.Jobs.Where(j => j.Id == jobId).Select(j => j.Status).FirstAsync(CancellationToken.None);
        return status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled;
    }

    /// <summary>Cancels the jobs of a client that went away, unless someone follows one in the studio. Jobs that
    /// have ended are left as they are. Call it after this request's own subscriptions are gone.</summary>
    public async Task AbandonAsync(string userId, IEnumerable<GenerationJob> jobs)
    {
        foreach (var job in jobs)
        {
            if (notifier.IsWatched(job.Id))
            {
                logger.LogInformation("API client of job {JobId} went away; the job goes on because it is open in the studio", job.Id);
                continue;
            }

            var outcome = await queue.CancelAsync(job.Id, userId, isAdmin: false, CancellationToken.None);
            logger.LogInformation("API client of job {JobId} went away; job {Outcome}", job.Id, outcome);
        }
    }

    private async Task<IReadOnlyList<GeneratedImage>> ResultsAsync(ApiSubmission submission)
    {
        var ids = submission.Jobs.Select(j => j.Id).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var jobs = await db.Jobs.AsNoTracking().Include(j => j.Images).Where(j => ids.Contains(j.Id)).ToListAsync(CancellationToken.None);
        foreach (var job in jobs)
        {
            switch (job.Status)
            {
                case JobStatus.Failed:
                    throw new ApiException(StatusCodes.Status500InternalServerError, $"The generation failed: {job.FailureReason}", null, "generation_failed");
                case JobStatus.Canceled:
                    throw new ApiException(StatusCodes.Status409Conflict, "The job was canceled in the studio before it finished.", null, "job_canceled");
            }
        }

        return ids.SelectMany(id => jobs.First(j => j.Id == id).Images.OrderBy(i => i.Index)).ToList();
    }

    private static ApiException Refused(SubmitOutcome outcome)
    {
        var problem = outcome.Problems[0];
        return outcome.Refusal switch
        {
            SubmitRefusal.RateLimited => new ApiException(StatusCodes.Status429TooManyRequests, $"Rate limit reached: {problem.Message}.", null, "rate_limit_exceeded")
            {
                RetryAfterSeconds = (int)Math.Ceiling((outcome.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds),
            },
            SubmitRefusal.QueueFull => new ApiException(StatusCodes.Status429TooManyRequests, $"Too many queued jobs: {problem.Message}.", null, "queue_full")
            {
                RetryAfterSeconds = (int)Math.Ceiling((outcome.RetryAfter ?? SubmitOutcome.QueueFullRetryAfter).TotalSeconds),
            },
            SubmitRefusal.QuotaExceeded => new ApiException(StatusCodes.Status429TooManyRequests, $"Quota exceeded: {problem.Message}.", null, "quota_exceeded")
            {
                RetryAfterSeconds = (int)Math.Ceiling((outcome.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds),
            },
            SubmitRefusal.Forbidden => new ApiException(StatusCodes.Status403Forbidden,
                string.Join("; ", outcome.Problems.Select(p => p.Message)), problem.Field == "role" ? null : Param(problem.Field), "insufficient_permissions"),
            _ => problem.Field == "model"
                ? new ApiException(StatusCodes.Status404NotFound, problem.Message, "model", "model_not_found")
                : ApiException.BadField(Param(problem.Field), string.Join("; ", outcome.Problems.Select(p => p.Message))),
        };
    }

    // The engine's field names, as the API calls them.
    private static string Param(string field) => field switch
    {
        "width" or "height" => "size",
        "batchSize" => "n",
        "guidance" => "guidance_scale",
        "scheduler" => "sampler",
        "negativePrompt" => "negative_prompt",
        "refinerSwitchAt" => "refiner_switch_at",
        _ => field,
    };
}
