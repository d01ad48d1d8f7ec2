using System.Globalization;
using WebStudio.Generation.Pipelines;
using WebStudio.Studio.Engine;
using WebStudio.Studio.History;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Storage;
using WebStudio.Web.Engine;

namespace WebStudio.Web.History;

/// <summary>
/// Puts parameters read from a PNG into the Generate form, through a spec. What this studio cannot honour (a model that is not
/// installed, a sampler it lacks, a size the model does not offer) keeps the form's current value and is named in
/// a note for the user.
/// </summary>
public static class ParametersImport
{
    public static IReadOnlyList<string> Apply(ParsedParameters source, GenerateFormModel form, IReadOnlyList<EngineModel> models, IReadOnlyList<string> schedulers)
    {
        var (spec, notes) = ToSpec(source, form.ToSpec(), models, schedulers);
        form.CopyFrom(spec);
        return notes;
    }

    /// <summary>The one mapping from a PNG's parameters to a spec: what this studio cannot honour keeps
    /// <paramref name="current"/>'s value, with a note.</summary>
    public static (JobSpec.Txt2Img Spec, IReadOnlyList<string> Notes) ToSpec(
        ParsedParameters source, JobSpec.Txt2Img current, IReadOnlyList<EngineModel> models, IReadOnlyList<string> schedulers)
    {
        var notes = new List<string>();
        var spec = current with
        {
            Prompt = source.Prompt,
            NegativePrompt = source.NegativePrompt,
            Steps = source.Steps ?? current.Steps,
            Guidance = source.CfgScale ?? current.Guidance,
            Seed = source.Seed ?? current.Seed,
        };

        if (source.Model is { Length: > 0 } modelName)
        {
            if (models.FirstOrDefault(m => string.Equals(m.Name, modelName, StringComparison.OrdinalIgnoreCase)) is { } found)
            {
                spec = spec with { Model = found.Name };
            }
            else
            {
                notes.Add($"the image was made with model \"{modelName}\", which is not installed here; kept \"{spec.Model}\"");
            }
        }

        if (source.Sampler is { Length: > 0 } sampler)
        {
            if (MatchScheduler(sampler, source, schedulers) is { } scheduler)
            {
                spec = spec with { Scheduler = scheduler };
                if (AskedSchedule(sampler, source) is { } schedule && !scheduler.EndsWith($" {schedule}", StringComparison.OrdinalIgnoreCase))
                {
                    notes.Add($"the {schedule} schedule is not offered with \"{scheduler}\" here; it runs on its own");
                }
            }
            else
            {
                notes.Add($"sampler \"{sampler}\" is not available here; kept \"{spec.Scheduler}\"");
            }
        }

        spec = WithVariation(spec, source, notes);
        spec = WithRescale(spec, source, notes);
        spec = WithHires(spec, source, notes);

        if (FirstPassSize(spec, source) is var (width, height))
        {
            var size = SizePresets.Format(width, height);
            var model = models.FirstOrDefault(m => m.Name == spec.Model);
            if (model is null || SizePresets.For(model).Contains(size))
            {
                spec = spec with { Width = width, Height = height };
            }
            else
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"size {width}×{height} is not offered for \"{spec.Model}\"; kept {spec.Width}×{spec.Height}"));
            }
        }

        return (spec, notes);
    }

    // A1111's hires fix fields; without them the picture had none, so the form's goes. Its upscalers other than
    // Lanczos (Latent, ESRGAN…) are not offered, and its fractional factors are not either.
    private static JobSpec.Txt2Img WithHires(JobSpec.Txt2Img spec, ParsedParameters source, List<string> notes)
    {
        if (!source.Extra.TryGetValue("Hires upscale", out var factorText))
        {
            return spec with { Hires = null };
        }

        if (!double.TryParse(factorText, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor)
            || !HiresPass.Factors.Contains((int)factor) || factor != (int)factor)
        {
            notes.Add($"the hires fix's \"{factorText}\"× is not offered here ({string.Join(" or ", HiresPass.Factors.Select(f => $"{f}×"))}); left out");
            return spec with { Hires = null };
        }

        var hires = new HiresPass { Factor = (int)factor };
        if (source.Extra.TryGetValue("Denoising strength", out var strengthText))
        {
            if (float.TryParse(strengthText, NumberStyles.Float, CultureInfo.InvariantCulture, out var strength) && strength is > 0f and <= 1f)
            {
                hires = hires with { Strength = strength };
            }
            else
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"the hires fix's denoising strength \"{strengthText}\" could not be read; took {hires.Strength:0.##}"));
            }
        }

        if (source.Extra.TryGetValue("Hires steps", out var stepsText))
        {
            if (int.TryParse(stepsText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var steps) && steps is >= 0 and <= GenerationRequest.MaxSteps)
            {
                hires = hires with { Steps = steps };
            }
            else
            {
                notes.Add($"the hires steps \"{stepsText}\" could not be read; took the first pass's");
            }
        }

        if (source.Extra.TryGetValue("Hires upscaler", out var upscaler) && !string.Equals(upscaler, ImageResolution.Lanczos, StringComparison.OrdinalIgnoreCase))
        {
            notes.Add($"the hires upscaler \"{upscaler}\" is not offered here; the hires fix enlarges with {ImageResolution.Lanczos}");
        }

        return spec with { Hires = hires };
    }

    // The size the model makes: "Size", but an edit's hires fix writes its result's there and the first image's as
    // "Native size".
    private static (int Width, int Height)? FirstPassSize(JobSpec.Txt2Img spec, ParsedParameters source)
    {
        if (spec.Hires is not null && source.Extra.TryGetValue("Native size", out var native)
            && native.Split('x') is [var w, var h]
            && int.TryParse(w, NumberStyles.Integer, CultureInfo.InvariantCulture, out var width)
            && int.TryParse(h, NumberStyles.Integer, CultureInfo.InvariantCulture, out var height))
        {
            return (width, height);
        }

        return source is { Width: { } sizeWidth, Height: { } sizeHeight } ? (sizeWidth, sizeHeight) : null;
    }

    // Without A1111's CFG rescale key, the picture had none, so the form's goes.
    private static JobSpec.Txt2Img WithRescale(JobSpec.Txt2Img spec, ParsedParameters source, List<string> notes)
    {
        if (!source.Extra.TryGetValue(A1111Parameters.RescaleKey, out var text))
        {
            return spec with { GuidanceRescale = 0f };
        }

        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rescale) && rescale is >= 0f and <= 1f)
        {
            return spec with { GuidanceRescale = rescale };
        }

        notes.Add($"the CFG rescale \"{text}\" could not be read; left out");
        return spec with { GuidanceRescale = 0f };
    }

    // A1111's variation fields make the same picture only as a pair; without them the picture had none, so the form's goes.
    private static JobSpec.Txt2Img WithVariation(JobSpec.Txt2Img spec, ParsedParameters source, List<string> notes)
    {
        var none = spec with { VariationSeed = null, VariationStrength = 0f };
        if (!source.Extra.TryGetValue("Variation seed", out var seedText))
        {
            return none;
        }

        var strengthText = source.Extra.GetValueOrDefault("Variation seed strength", "");
        if (long.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) && seed >= 0
            && float.TryParse(strengthText, NumberStyles.Float, CultureInfo.InvariantCulture, out var strength) && strength is >= 0f and <= 1f)
        {
            return spec with { VariationSeed = seed, VariationStrength = strength };
        }

        notes.Add($"the variation seed \"{seedText}\" at strength \"{strengthText}\" could not be read; left out");
        return none;
    }

    // The sigma schedules A1111 names, in a sampler's name (old) or as its "Schedule type" (new).
    private static readonly string[] Schedules =
        ["Karras", "Exponential", "SGM Uniform", "Polyexponential", "Align Your Steps", "Simple", "Normal", "DDIM", "Beta", "KL Optimal"];

    // "DPM++ 2M Karras" is "DPM++ 2M" on the Karras schedule; a name that ends in none has no schedule of its own.
    private static string? ScheduleIn(string sampler) =>
        Schedules.FirstOrDefault(s => sampler.EndsWith($" {s}", StringComparison.OrdinalIgnoreCase));

    // A1111 writes "DPM++ 2M Karras" (old) or "DPM++ 2M" with "Schedule type: Karras" (new); this studio names samplers alone.
    private static string? MatchScheduler(string sampler, ParsedParameters source, IReadOnlyList<string> schedulers)
    {
        var candidates = new List<string> { sampler };
        if (ScheduleIn(sampler) is { } named)
        {
            candidates.Add(sampler[..^(named.Length + 1)]);
        }

        if (source.Extra.TryGetValue("Schedule type", out var type))
        {
            candidates.Insert(0, $"{sampler} {type}");
        }

        return candidates.Select(c => schedulers.FirstOrDefault(s => string.Equals(s, c, StringComparison.OrdinalIgnoreCase))).FirstOrDefault(s => s is not null);
    }

    /// <summary>The schedule the parameters ask for beside the sampler's own: a "Schedule type" other than Automatic
    /// (and Uniform, A1111's name for the sampler's own spacing), or a schedule the sampler's name ends with.</summary>
    private static string? AskedSchedule(string sampler, ParsedParameters source) =>
        source.Extra.TryGetValue("Schedule type", out var type)
            ? type is "Automatic" or "Uniform" ? null : type
            : ScheduleIn(sampler);
}
