using WebStudio.Data;
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
    public void An_instruction_edit_or_an_upscale_leaves_the_form_as_it_was()
    {
        var before = Form();
        var form = Form();

        form.CopyFrom(Stored(new JobSpec.InstructEdit { Prompt = "make the star blue", Model = "webstudio-edit", Seed = 5 }, 256, 256));
        form.CopyFrom(Stored(new JobSpec.Upscale { Factor = 2, Seed = 6 }, 256, 256));

        Assert.Equal((before.Prompt, before.Model, before.Seed, before.Size), (form.Prompt, form.Model, form.Seed, form.Size));
    }
}
