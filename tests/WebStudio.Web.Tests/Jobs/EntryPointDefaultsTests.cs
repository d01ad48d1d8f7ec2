using System.Text.Json;
using WebStudio.Studio.Editing;
using WebStudio.Studio.Jobs;
using WebStudio.Web.Api;
using WebStudio.Web.Engine;

namespace WebStudio.Web.Tests.Jobs;

/// <summary>
/// Every entry point that makes a job starts from the same defaults, the ones each spec kind declares: the Generate
/// form, POST /api/jobs, the Edit page's request (POST /api/edits) and the OpenAI request. Re-run and copy
/// parameters take a stored spec whole, so they have no defaults of their own.
/// </summary>
[Trait("Capability", "StudioCore")]
public sealed class EntryPointDefaultsTests
{
    private static readonly JobSpec.Txt2Img Txt2Img = new();

    /// <summary>What every diffusion kind shares, as one comparable value.</summary>
    private static object Shared(JobSpec.Diffusion spec) =>
        (spec.Prompt, spec.NegativePrompt, spec.Scheduler, spec.Steps, spec.Guidance, spec.Seed, spec.BatchSize);

    [Fact]
    public void The_diffusion_kinds_share_one_set_of_defaults()
    {
        JobSpec.Diffusion[] kinds = [new JobSpec.Img2Img(), new JobSpec.Inpaint(), new JobSpec.Outpaint(), new JobSpec.HiresFix()];

        Assert.All(kinds, kind => Assert.Equal(Shared(Txt2Img), Shared(kind)));
        Assert.Equal(-1, Txt2Img.Seed); // random, as A1111's -1
        Assert.Equal(((int?)null, (int?)null), (Txt2Img.Width, Txt2Img.Height)); // the model's native size
    }

    [Fact]
    public void The_generate_form_starts_at_the_text_to_image_defaults()
    {
        var spec = new GenerateFormModel().ToSpec();

        Assert.Equal(Shared(Txt2Img), Shared(spec));
    }

    [Fact]
    public void An_api_jobs_body_with_only_a_prompt_is_the_text_to_image_default()
    {
        var spec = JsonSerializer.Deserialize<JobSpec.Txt2Img>("""{"prompt":""}""", new JsonSerializerOptions(JsonSerializerDefaults.Web));

        Assert.Equal(Txt2Img, spec);
    }

    [Fact]
    public void The_edit_request_starts_at_each_operations_spec_defaults()
    {
        var request = new EditRequest();

        // Left out (null), the sampler, steps and guidance are the model's defaults, else the spec's.
        Assert.Equal((Txt2Img.Scheduler, Txt2Img.Steps, Txt2Img.Guidance, Txt2Img.Seed), (request.SettingsWith(null).Scheduler, request.SettingsWith(null).Steps, request.SettingsWith(null).Guidance, request.Seed));
        Assert.Equal((null, null, null), (request.Scheduler, request.Steps, request.Guidance));
        Assert.Equal(new JobSpec.InstructEdit().Guidance, (request with { Operation = EditOperation.Instruct }).SettingsWith(null).Guidance);
        Assert.Null(request.Strength);
        Assert.Equal(new JobSpec.Img2Img().Strength, EditRequest.DefaultStrength(EditOperation.Restyle));
        Assert.Equal(new JobSpec.Inpaint().Strength, EditRequest.DefaultStrength(EditOperation.Inpaint));
        Assert.Equal(new JobSpec.HiresFix().Strength, EditRequest.DefaultStrength(EditOperation.HiresFix));
        Assert.Equal((new JobSpec.Inpaint().MaskBlur, new JobSpec.Inpaint().OnlyMasked), (request.MaskBlur, request.OnlyMasked));
        Assert.Equal(new JobSpec.Outpaint().MaskBlur, request.MaskBlur);
        Assert.Equal((new JobSpec.Upscale().Factor, new JobSpec.HiresFix().Factor), (request.UpscaleFactor, request.UpscaleFactor));
    }

    [Fact]
    public void The_openai_request_keeps_the_spec_defaults_it_does_not_set()
    {
        // The API sets the model, the steps (from "quality"), the size, the seeds and an edit's strength itself.
        var generation = ApiImageService.Spec(new ImageRequest { Prompt = "p" }, null, "tiny", steps: 20);

        Assert.IsType<JobSpec.Txt2Img>(generation);
        Assert.Equal((Txt2Img.NegativePrompt, Txt2Img.Scheduler, Txt2Img.Guidance), (generation.NegativePrompt, generation.Scheduler, generation.Guidance));
    }
}
