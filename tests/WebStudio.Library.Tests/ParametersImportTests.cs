using WebStudio.Web.Engine;
using WebStudio.Studio.Engine;
using WebStudio.Web.History;
using WebStudio.Studio.History;

namespace WebStudio.Library.Tests;

public sealed class ParametersImportTests
{
    private static readonly IReadOnlyList<EngineModel> Models = [new("tiny", 64, 64), new("webstudio-shapes", 128, 128)];
    private static readonly IReadOnlyList<string> Schedulers = ["Euler a", "Euler", "Euler Karras", "DDIM", "DPM++ 2M", "DPM++ 2M Karras", "DPM++ SDE", "DPM++ SDE Karras", "DPM++ 3M SDE", "DPM++ 3M SDE Exponential",
        "DPM++ 2M SDE Heun", "DPM++ 2M SDE Heun Exponential"];

    private static GenerateFormModel Form() => new() { Model = "tiny", Scheduler = "Euler a", Size = "64x64", Steps = 20, Guidance = 7, Seed = -1 };

    [Fact]
    public void Everything_the_studio_offers_is_copied_into_the_form()
    {
        var form = Form();
        var parsed = A1111ParameterParser.Parse("a cube\nNegative prompt: blur\nSteps: 12, Sampler: DDIM, CFG scale: 4.5, Seed: 99, Size: 192x128, Model: webstudio-shapes");

        var notes = ParametersImport.Apply(parsed, form, Models, Schedulers);

        Assert.Empty(notes);
        Assert.Equal(("a cube", "blur", 12, 4.5f, 99L, "webstudio-shapes", "DDIM", "192x128"),
            (form.Prompt, form.NegativePrompt, form.Steps, form.Guidance, form.Seed, form.Model, form.Scheduler, form.Size));
    }

    [Fact]
    public void What_the_studio_lacks_keeps_the_form_value_and_is_named_in_a_note()
    {
        var form = Form();
        var parsed = A1111ParameterParser.Parse("castle\nSteps: 30, Sampler: UniPC, CFG scale: 7, Seed: 5, Size: 512x768, Model: v1-5-pruned");

        var notes = ParametersImport.Apply(parsed, form, Models, Schedulers);

        Assert.Equal(("castle", 30, 5L, "tiny", "Euler a", "64x64"), (form.Prompt, form.Steps, form.Seed, form.Model, form.Scheduler, form.Size));
        Assert.Equal(3, notes.Count);
        Assert.Contains(notes, n => n.Contains("\"v1-5-pruned\", which is not installed here; kept \"tiny\"", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("sampler \"UniPC\" is not available here", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("size 512×768 is not offered for \"tiny\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Sampler: DPM++ 2M Karras", "DPM++ 2M Karras")]
    [InlineData("Sampler: DPM++ 2M, Schedule type: Karras", "DPM++ 2M Karras")]
    [InlineData("Sampler: DPM++ SDE, Schedule type: Karras", "DPM++ SDE Karras")]
    [InlineData("Sampler: DPM++ SDE Karras", "DPM++ SDE Karras")]
    [InlineData("Sampler: DPM++ 3M SDE, Schedule type: Exponential", "DPM++ 3M SDE Exponential")]
    [InlineData("Sampler: DPM++ 3M SDE, Schedule type: Automatic", "DPM++ 3M SDE")]
    [InlineData("Sampler: euler a", "Euler a")]
    [InlineData("Sampler: Euler, Schedule type: Karras", "Euler Karras")]
    [InlineData("Sampler: DPM++ 2M SDE Heun, Schedule type: Exponential", "DPM++ 2M SDE Heun Exponential")]
    [InlineData("Sampler: DPM++ 2M SDE Heun", "DPM++ 2M SDE Heun")]
    public void Sampler_names_old_and_new_style_are_matched(string sampler, string expected)
    {
        var form = Form();

        var notes = ParametersImport.Apply(A1111ParameterParser.Parse($"p\nSteps: 5, {sampler}, Seed: 1"), form, Models, Schedulers);

        Assert.Equal(expected, form.Scheduler);
        Assert.DoesNotContain(notes, n => n.Contains("schedule", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Sampler: Euler, Schedule type: Exponential", "Euler", "the Exponential schedule is not offered with \"Euler\" here")]
    [InlineData("Sampler: DPM++ 2M, Schedule type: Exponential", "DPM++ 2M", "the Exponential schedule is not offered with \"DPM++ 2M\" here")]
    [InlineData("Sampler: DDIM, Schedule type: SGM Uniform", "DDIM", "the SGM Uniform schedule is not offered with \"DDIM\" here")]
    [InlineData("Sampler: DDIM Karras", "DDIM", "the Karras schedule is not offered with \"DDIM\" here")]
    public void A_schedule_the_sampler_lacks_here_is_named_in_a_note(string sampler, string expected, string note)
    {
        var form = Form();

        var notes = ParametersImport.Apply(A1111ParameterParser.Parse($"p\nSteps: 5, {sampler}, Seed: 1"), form, Models, Schedulers);

        Assert.Equal(expected, form.Scheduler);
        Assert.Contains(notes, n => n.StartsWith(note, StringComparison.Ordinal));
    }

    [Fact]
    public void A1111s_hires_fix_fields_turn_the_forms_hires_fix_on_and_name_an_upscaler_not_offered()
    {
        var form = Form();

        var notes = ParametersImport.Apply(A1111ParameterParser.Parse(
            "p\nSteps: 5, Sampler: Euler a, Seed: 1, Size: 64x64, Denoising strength: 0.4, Hires upscale: 2, Hires steps: 10, Hires upscaler: Latent"),
            form, Models, Schedulers);

        Assert.Equal((true, 2, 0.4f, 10, "64x64"), (form.HiresOn, form.HiresFactor, form.HiresStrength, form.HiresSteps, form.Size));
        Assert.Equal("the hires upscaler \"Latent\" is not offered here; the hires fix enlarges with Lanczos", Assert.Single(notes));
    }

    [Theory]
    [InlineData("Hires upscale: 1.5", "the hires fix's \"1.5\"× is not offered here (2× or 4×); left out")]
    [InlineData("Hires upscale: 3", "the hires fix's \"3\"× is not offered here (2× or 4×); left out")]
    [InlineData("", null)]
    public void Without_a_hires_fix_the_picture_can_be_made_again_the_forms_goes(string fields, string? note)
    {
        var form = Form();
        form.HiresOn = true;

        var notes = ParametersImport.Apply(A1111ParameterParser.Parse($"p\nSteps: 5, Seed: 1, Size: 64x64{(fields.Length > 0 ? ", " + fields : "")}"), form, Models, Schedulers);

        Assert.False(form.HiresOn);
        Assert.Equal(note is null ? [] : [note], notes);
    }

    [Fact]
    public void An_edits_hires_fix_comes_back_as_a_jobs_at_the_size_the_model_made()
    {
        var form = Form();

        ParametersImport.Apply(A1111ParameterParser.Parse(
            "p\nSteps: 5, Seed: 1, Size: 128x128, Model: tiny, Denoising strength: 0.05, Hires upscale: 2, Hires upscaler: Lanczos, Native size: 64x64"),
            form, Models, Schedulers);

        Assert.Equal((true, 2, 0.05f, 0, "64x64"), (form.HiresOn, form.HiresFactor, form.HiresStrength, form.HiresSteps, form.Size));
    }

    [Fact]
    public void Missing_settings_leave_the_form_as_it_was()
    {
        var form = Form();

        var notes = ParametersImport.Apply(A1111ParameterParser.Parse("only a prompt"), form, Models, Schedulers);

        Assert.Empty(notes);
        Assert.Equal(("only a prompt", 20, 7f, -1L, "64x64"), (form.Prompt, form.Steps, form.Guidance, form.Seed, form.Size));
    }
}
