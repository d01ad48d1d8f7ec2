using WebStudio.Data;
using WebStudio.Studio.Editing;
using WebStudio.Studio.Jobs;
using WebStudio.Web.Engine;

namespace WebStudio.Web.Tests.Jobs;

/// <summary>What the Generate form takes from a job opened on it (Send to Generate, the queue's Open): the settings of
/// a picture made from a prompt, and nothing from a job that has none.</summary>
[Trait("Capability", "StudioCore")]
public sealed class GenerateFormCopyTests
{
    private static GenerationJob Stored(JobSpec spec, int width, int height)
    {
        var job = new GenerationJob { OwnerId = "alice", Width = width, Height = height };
        JobSpecJson.Store(job, spec);
        return job;
    }

    private static GenerateFormModel Form() => new() { Prompt = "a blue star", Model = "webstudio-shapes", Size = "128x128" };

    [Fact]
    public void A_restyle_gives_the_form_its_prompt_model_seed_and_size()
    {
        var form = Form();

        form.CopyFrom(Stored(new JobSpec.Img2Img { Prompt = "a red circle", Model = "other", Seed = 5, Steps = 9 }, 192, 128));

        Assert.Equal(("a red circle", "other", 5L, 9, "192x128"), (form.Prompt, form.Model, form.Seed, form.Steps, form.Size));
    }

    [Fact]
    public void A_hires_fix_gives_the_form_the_size_it_enlarged_from()
    {
        var form = Form();

        form.CopyFrom(Stored(new JobSpec.HiresFix { Prompt = "a red circle", Factor = 4, Seed = 5 }, 512, 256));

        Assert.Equal(("a red circle", 5L, "128x64"), (form.Prompt, form.Seed, form.Size));
    }

    [Fact]
    public void A_results_hires_fix_takes_the_jobs_settings_and_the_images_seed_with_the_steps_to_denoise_once()
    {
        var made = new JobSpec.Txt2Img { Prompt = "a red circle", NegativePrompt = "blur", Model = "m", Scheduler = "DDIM", Steps = 6, Guidance = 5, GuidanceRescale = 0.6f, Seed = 7 };
        var image = Guid.NewGuid();

        var request = EditRequest.HiresFixOf(made, image, seed: 8);

        Assert.Equal(EditOperation.HiresFix, request.Operation);
        Assert.Equal($"image:{image}", request.Source);
        Assert.Equal(("a red circle", "blur", "m", "DDIM", 5f, 8L), (request.Prompt, request.NegativePrompt, request.Model, request.Scheduler, request.Guidance, request.Seed));
        Assert.Equal(0.6f, request.GuidanceRescale);
        Assert.Equal(new JobSpec.HiresFix().Strength, request.StrengthOrDefault);
        Assert.Equal(20, request.Steps); // 6 steps at 0.05 would denoise none
        Assert.Equal(30, EditRequest.HiresFixOf(made with { Steps = 30 }, image, 8).Steps);
    }

    [Fact]
    public void A_jobs_hires_fix_comes_back_at_its_first_pass_size_and_goes_out_again_until_a_plain_job_turns_it_off()
    {
        var form = Form();
        var hires = new HiresPass { Factor = 4, Strength = 0.3f, Steps = 8 };

        form.CopyFrom(Stored(new JobSpec.Txt2Img { Prompt = "a red circle", Width = 64, Height = 48, Hires = hires }, 64, 48));

        Assert.Equal((true, 4, 0.3f, 8, "64x48", "→ 256×192"), (form.HiresOn, form.HiresFactor, form.HiresStrength, form.HiresSteps, form.Size, form.HiresSizeText));
        Assert.Equal(hires, form.ToSpec().Hires);
        form.CopyFrom(Stored(new JobSpec.Txt2Img { Prompt = "a blue star", Width = 64, Height = 64 }, 64, 64));
        Assert.False(form.HiresOn);
        Assert.Null(form.ToSpec().Hires);
    }

    [Fact]
    public void An_instruction_edit_or_an_upscale_leaves_the_form_as_it_was()
    {
        var before = Form();
        var form = Form();

        form.CopyFrom(Stored(new JobSpec.InstructEdit { Prompt = "make the star blue", Model = "webstudio-edit", Seed = 5 }, 256, 256));
        form.CopyFrom(Stored(new JobSpec.Upscale { Factor = 2, Seed = 6 }, 256, 256));

        Assert.Equal((before.Prompt, before.Model, before.Seed, before.Size), (form.Prompt, form.Model, form.Seed, form.Size));
    }
}
