using System.Security.Claims;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using WebStudio.Data;
using WebStudio.Generation.Imaging;
using WebStudio.Generation.Pipelines;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Prompts;
using WebStudio.Studio.Storage;
using WebStudio.Studio.Vocabulary;

namespace WebStudio.Studio.Editing;

/// <summary>
/// Turns an <see cref="EditRequest"/> (the Edit page's and POST /api/edits' wire format) into a <see cref="JobSpec"/>
/// once: loads the user's source (and mask), prepares the pixels the job runs on (sizes fitted to multiples of 8,
/// the outpainting canvas, the hires-fix upscale) and submits them through the one queue, whose job input store
/// keeps them until the job ends. From the Edit page, a prompt's {…|…} choices and wildcards queue a job per
/// combination on the same pixels and seed, as Generate's do (<see cref="DynamicPrompts"/>); the HTTP API takes the
/// prompt as written, as POST /api/jobs does.
/// </summary>
public sealed class EditSubmission(SourceImages sources, UploadStore uploads, UpscalerCatalog upscalers, JobQueue queue, ModelCards cards,
    Wildcards wildcards, SeedSource seeds)
{
    /// <param name="user">Who edits: the source must be theirs to read.</param>
    /// <param name="request">The edit.</param>
    /// <param name="dynamicPrompts">Whether the prompt's choices and wildcards are expanded (the Edit page's).</param>
    /// <param name="cancellationToken">Cancels the submission.</param>
    public async Task<SubmitOutcome> SubmitAsync(ClaimsPrincipal user, EditRequest request, bool dynamicPrompts = false,
        CancellationToken cancellationToken = default)
    {
        var userId = JobAccess.UserId(user) ?? throw new InvalidOperationException("Edits need a signed-in user.");
        if (!EditSource.TryParse(request.Source, out var source))
        {
            return Invalid("source", "choose an image to edit: one from your history, a gallery or an upload");
        }

        using var original = await sources.LoadAsync(source, user, cancellationToken);
        if (original is null)
        {
            return Invalid("source", "the image to edit was not found");
        }

        // An upscale of an upscaled image keeps the first image's native size and the chain (issue 20).
        var chain = request.Operation is EditOperation.Upscale or EditOperation.HiresFix
            ? await sources.UpscaledResolutionAsync(source, user, cancellationToken)
            : null;
        JobSpec spec;
        JobInputs inputs;
        try
        {
            (spec, inputs) = Build(userId, source, original, request, chain);
        }
        catch (EditProblem problem)
        {
            return Invalid(problem.Field, problem.Message);
        }

        using (inputs)
        {
            if (dynamicPrompts && spec is JobSpec.Diffusion diffusion)
            {
                var variants = DynamicPrompts.Of(diffusion.Prompt, diffusion.NegativePrompt, wildcards: wildcards, drawOffered: false);
                if (variants.Problem is { } problem)
                {
                    return new SubmitOutcome(null, SubmitRefusal.Invalid, [problem]);
                }

                // Several prompts share one seed, so that their pictures differ by the prompt alone; the queue writes
                // the same pixels to each job's inputs.
                spec = variants.Pairs[0].On(diffusion);
                if (variants.Varies)
                {
                    var drawn = seeds.Drawn(diffusion);
                    return await queue.SubmitAllAsync(userId, [.. variants.Pairs.Select(pair => ((JobSpec)pair.On(drawn), (JobInputs?)inputs))],
                        JobSource.Studio, cancellationToken);
                }
            }

            // The queue writes the pixels to the job input store.
            return await queue.SubmitAsync(userId, spec, inputs, JobSource.Studio, cancellationToken);
        }
    }

    /// <summary>The one mapping from an edit request to a spec, with the pixels the job runs on.</summary>
    private (JobSpec Spec, JobInputs Inputs) Build(string userId, EditSource source, Image<Rgb24> original, EditRequest request, ImageResolution? chain)
    {
        var from = source.ToString();
        switch (request.Operation)
        {
            case EditOperation.Restyle:
            {
                CheckStrength(request.StrengthOrDefault);
                var image = Fit(original);
                return (Diffusion(request, new JobSpec.Img2Img { Source = from, Strength = request.StrengthOrDefault }), new JobInputs(image, null, image.Width, image.Height));
            }

            case EditOperation.Inpaint:
            {
                CheckStrength(request.StrengthOrDefault);
                using var mask = LoadMask(userId, request.MaskId, original);
                var image = Fit(original);
                var fitted = mask.Clone(c => c.Resize(image.Width, image.Height, KnownResamplers.NearestNeighbor));
                var spec = new JobSpec.Inpaint
                {
                    Source = from,
                    MaskId = request.MaskId,
                    Strength = request.StrengthOrDefault,
                    MaskBlur = CheckMaskBlur(request.MaskBlur),
                    OnlyMasked = request.OnlyMasked,
                    OnlyMaskedPadding = request.OnlyMasked
                        ? request.OnlyMaskedPadding ?? GenerationRequest.DefaultOnlyMaskedPadding(image.Width, image.Height)
                        : null,
                };
                return (Diffusion(request, spec), new JobInputs(image, fitted, image.Width, image.Height));
            }

            case EditOperation.Outpaint:
            {
                var spec = new JobSpec.Outpaint
                {
                    Source = from,
                    MaskBlur = CheckMaskBlur(request.MaskBlur),
                    Left = request.OutpaintLeft,
                    Top = request.OutpaintTop,
                    Right = request.OutpaintRight,
                    Bottom = request.OutpaintBottom,
                };
                using var image = Fit(original);
                using var canvas = Extend(image, request);
                return (Diffusion(request, spec), new JobInputs(canvas.Image.Clone(), canvas.Mask.Clone(), canvas.Image.Width, canvas.Image.Height));
            }

            case EditOperation.Instruct:
                return Instruct(userId, from, original, request);

            case EditOperation.Upscale:
                return Upscale(from, original, request, chain);

            case EditOperation.HiresFix:
            {
                CheckStrength(request.StrengthOrDefault);
                CheckFactor(request.UpscaleFactor);
                using var image = Fit(original);
                var (width, height) = (image.Width * request.UpscaleFactor, image.Height * request.UpscaleFactor);
                if (width > GenerationRequest.MaxSize || height > GenerationRequest.MaxSize)
                {
                    throw new EditProblem("upscaleFactor",
                        $"a {request.UpscaleFactor}× hires fix of {image.Width}×{image.Height} would be {width}×{height}; at most {GenerationRequest.MaxSize} per side can be generated");
                }

                var spec = new JobSpec.HiresFix { Source = from, Factor = request.UpscaleFactor, Strength = request.StrengthOrDefault, SourceResolution = chain };
                return (Diffusion(request, spec), new JobInputs(Upscaler.Lanczos(image, request.UpscaleFactor), null, width, height));
            }

            default:
                throw new EditProblem("operation", $"'{request.Operation}' is not an edit this studio knows");
        }
    }

    /// <summary>The settings every diffusion edit takes from the request, and from the model's defaults where the
    /// request leaves them out (<paramref name="settings"/> where the caller has already worked them out); one image per edit.</summary>
    private T Diffusion<T>(EditRequest request, T spec, EditSettings? settings = null)
        where T : JobSpec.Diffusion
    {
        settings ??= request.SettingsWith(cards.DefaultsFor(request.Model));
        return spec with
        {
            Prompt = request.Prompt,
            NegativePrompt = request.NegativePrompt,
            Model = request.Model,
            Scheduler = settings.Scheduler,
            Steps = settings.Steps,
            Guidance = settings.Guidance,
            GuidanceRescale = spec is JobSpec.InstructEdit ? 0f : request.GuidanceRescale,
            Seed = request.Seed,
            BatchSize = 1,
        };
    }

    /// <summary>An instruction edit: the whole picture, or with a mask only the painted area, changed as the
    /// prompt says.</summary>
    private (JobSpec Spec, JobInputs Inputs) Instruct(string userId, string from, Image<Rgb24> original, EditRequest request)
    {
        var image = Fit(original);
        Image<L8>? fitted = null;
        if (request.MaskId is not null)
        {
            using var mask = LoadMask(userId, request.MaskId, original);
            fitted = mask.Clone(c => c.Resize(image.Width, image.Height, KnownResamplers.NearestNeighbor));
        }

        var settings = request.SettingsWith(cards.DefaultsFor(request.Model));
        var spec = new JobSpec.InstructEdit { Source = from, MaskId = request.MaskId, ImageGuidance = settings.ImageGuidance, AutoMask = settings.AutoMask };
        return (Diffusion(request, spec, settings), new JobInputs(image, fitted, image.Width, image.Height));
    }

    private (JobSpec Spec, JobInputs Inputs) Upscale(string from, Image<Rgb24> original, EditRequest request, ImageResolution? chain)
    {
        var spec = new JobSpec.Upscale { Source = from, Seed = request.Seed, SourceResolution = chain };
        var factor = 1;
        if (!string.IsNullOrEmpty(request.Upscaler))
        {
            try
            {
                spec = spec with { Upscaler = upscalers.Find(request.Upscaler).Name };
            }
            catch (UpscalerNotFoundException)
            {
                throw new EditProblem("upscaler", $"there is no upscaler called '{request.Upscaler}' in {upscalers.Folder}");
            }
        }
        else
        {
            CheckFactor(request.UpscaleFactor);
            factor = request.UpscaleFactor;
            spec = spec with { Factor = factor };
            var (width, height) = (original.Width * factor, original.Height * factor);
            if (width > Upscaler.MaxOutputSide || height > Upscaler.MaxOutputSide)
            {
                throw new EditProblem("upscaleFactor",
                    $"a {factor}× upscale of {original.Width}×{original.Height} would be {width}×{height}; at most {Upscaler.MaxOutputSide} per side is allowed");
            }
        }

        // An ONNX upscaler makes its own scale: the row keeps the source's size, and the image row its own.
        return (spec, new JobInputs(original.Clone(), null, original.Width * factor, original.Height * factor));
    }

    private Image<L8> LoadMask(string userId, Guid? maskId, Image<Rgb24> original)
    {
        if (maskId is not { } id || uploads.MaskPath(userId, id) is not { } path)
        {
            throw new EditProblem("mask", "paint the area to repaint on the image first (no mask was sent)");
        }

        var mask = Image.Load<L8>(path);
        if (mask.Width != original.Width || mask.Height != original.Height)
        {
            var (w, h) = (mask.Width, mask.Height);
            mask.Dispose();
            throw new EditProblem("mask", $"the mask is {w}×{h} pixels but the image is {original.Width}×{original.Height}; they must be the same size");
        }

        if (IsEmpty(mask))
        {
            mask.Dispose();
            throw new EditProblem("mask", "the mask is empty: paint over the part of the image to repaint");
        }

        return mask;
    }

    private static OutpaintCanvas Extend(Image<Rgb24> image, EditRequest request)
    {
        try
        {
            return Outpainting.Extend(image, request.OutpaintLeft, request.OutpaintTop, request.OutpaintRight, request.OutpaintBottom,
                seed: Math.Max(0, request.Seed));
        }
        catch (ArgumentException ex)
        {
            // Extend's messages already name the side and the rule ("The left extension must be a multiple of 8 …").
            throw new EditProblem("outpaint", ex.Message.Split(" (Parameter", 2)[0]);
        }
    }

    /// <summary>The source at a size the pipeline accepts: multiples of 8 within its limits (unchanged when it fits).</summary>
    private static Image<Rgb24> Fit(Image<Rgb24> image)
    {
        var (width, height) = SizePresets.FitUpload(image.Width, image.Height);
        return width == image.Width && height == image.Height
            ? image.Clone()
            : image.Clone(c => c.Resize(width, height, KnownResamplers.Bicubic));
    }

    private static void CheckStrength(float strength)
    {
        if (float.IsNaN(strength) || strength < 0f || strength > 1f)
        {
            throw new EditProblem("strength", "strength must be between 0 and 1");
        }
    }

    private static int CheckMaskBlur(int pixels) => pixels is >= 0 and <= GenerationRequest.MaxMaskFeather
        ? pixels
        : throw new EditProblem("maskBlur", $"mask blur must be between 0 and {GenerationRequest.MaxMaskFeather} pixels");

    private static void CheckFactor(int factor)
    {
        if (!Upscaler.LanczosFactors.Contains(factor))
        {
            throw new EditProblem("upscaleFactor", "the upscale factor must be 2 or 4");
        }
    }

    private static bool IsEmpty(Image<L8> mask)
    {
        var empty = true;
        mask.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height && empty; y++)
            {
                foreach (var p in rows.GetRowSpan(y))
                {
                    if (p.PackedValue != 0)
                    {
                        empty = false;
                        break;
                    }
                }
            }
        });
        return empty;
    }

    private static SubmitOutcome Invalid(string field, string message) =>
        new(null, SubmitRefusal.Invalid, [new FieldProblem(field, message)]);

    private sealed class EditProblem(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }
}
