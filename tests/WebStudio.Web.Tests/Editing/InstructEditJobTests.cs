using System.Net;
using System.Net.Http.Json;
using SixLabors.ImageSharp;
using WebStudio.Data;
using WebStudio.Studio.Editing;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Vocabulary;
using WebStudio.Web.Api;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Editing;

/// <summary>Instruction edits (issue 22) as studio jobs: the queue runs them on an instruction model only, and the
/// history keeps the instruction and both guidance scales.</summary>
[Trait("Capability", "InstructEdit")]
public sealed class InstructEditJobTests(TinyModelFolders models) : IClassFixture<TinyModelFolders>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task An_instruction_edit_runs_on_the_instruction_model_and_records_the_instruction_both_scales_and_the_automatic_mask()
    {
        await using var studio = await EditStudio.StartAsync(models.CreateEngineWithEditModel);
        var (alice, source) = (studio.Alice, studio.Source);

        var job = await alice.EditAsync(Instruct(source) with { Guidance = 6f, ImageGuidance = 1.25f });
        var done = await alice.WaitForEndAsync(job.Id, Patience);

        Assert.Equal("Succeeded", done.Status);
        using var result = await alice.DownloadAsync(done.Images[0].Url);
        Assert.Equal(
            "make the circle blue\nSteps: 4, Sampler: Euler a, CFG scale: 6, Seed: 5, Size: 64x64, Model: tiny-edit, Image CFG scale: 1.25",
            result.Metadata.GetPngMetadata().TextData.Single(t => t.Keyword == "parameters").Value);
        var stored = await studio.StoredJobAsync(job.Id);
        Assert.Equal(JobKind.InstructEdit, stored.Kind);
        var spec = Assert.IsType<JobSpec.InstructEdit>(JobSpecJson.Read(stored));
        Assert.Equal((source, "make the circle blue", 6f, 1.25f, (Guid?)null, (float?)null),
            (spec.Source, spec.Prompt, spec.Guidance, spec.ImageGuidance, spec.MaskId, spec.AutoMask));

        // With the automatic mask: it runs, and the image and the stored spec record it.
        var masked = await alice.WaitForEndAsync((await alice.EditAsync(Instruct(source) with { AutoMask = 0.5f })).Id, Patience);
        Assert.Equal("Succeeded", masked.Status);
        using var maskedResult = await alice.DownloadAsync(masked.Images[0].Url);
        Assert.EndsWith("Image CFG scale: 1.5, Auto mask: 0.5", maskedResult.Metadata.GetPngMetadata().TextData.Single(t => t.Keyword == "parameters").Value);
        Assert.Equal(0.5f, Assert.IsType<JobSpec.InstructEdit>(JobSpecJson.Read(await studio.StoredJobAsync(masked.Id))).AutoMask);

        // An out-of-range threshold is refused at submission, naming the field.
        using var refused = await alice.Http.PostAsJsonAsync("/api/edits", Instruct(source) with { AutoMask = 1.5f });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("automatic mask", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_instruction_edit_on_a_plain_model_is_refused_naming_the_installed_instruction_model()
    {
        await using var studio = await EditStudio.StartAsync(models.CreateEngineWithEditModel);
        var (alice, source) = (studio.Alice, studio.Source);

        var response = await alice.Http.PostAsJsonAsync("/api/edits", Instruct(source) with { Model = TinyModelFolders.ModelName });

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
        Assert.Contains("'tiny' does not edit by instruction; choose an instruction model such as 'tiny-edit'", body);
    }

    [Fact]
    public async Task Text_to_image_on_an_instruction_model_is_refused_naming_a_text_to_image_model()
    {
        await using var studio = await EditStudio.StartAsync(models.CreateEngineWithEditModel);
        var alice = studio.Alice;

        var response = await alice.Http.PostAsJsonAsync("/api/jobs", StudioUserClient.Parameters("a red circle") with { Model = TinyModelFolders.EditModelName });

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
        Assert.Contains("'tiny-edit' edits by instruction", body);
        Assert.Contains("such as 'tiny'", body);
    }

    [Fact]
    public void Without_an_instruction_model_the_refusal_says_none_is_installed()
    {
        var problem = InstructionModels.Check(new JobSpec.InstructEdit { Model = "plain" }, [new EngineModel("plain", 64, 64)]);

        Assert.NotNull(problem);
        Assert.Equal("model", problem.Field);
        Assert.Contains("no instruction model is installed", problem.Message);
        Assert.Null(InstructionModels.Check(new JobSpec.InstructEdit { Model = "edit" }, [new EngineModel("edit", 64, 64) { EditsByInstruction = true }]));
    }

    [Fact]
    public void The_forms_that_make_images_start_on_a_text_to_image_model_whatever_the_default_names()
    {
        // Sorted by name, as the catalog lists them: the instruction model comes first.
        EngineModel[] installed = [new("a-edit", 64, 64) { EditsByInstruction = true }, new("b-shapes", 64, 64), new("c-other", 64, 64)];

        Assert.Equal("c-other", InstructionModels.DefaultTextModel(installed, "c-other"));
        Assert.Equal("b-shapes", InstructionModels.DefaultTextModel(installed, "a-edit"));
        Assert.Equal("b-shapes", InstructionModels.DefaultTextModel(installed, "gone"));
        Assert.Equal("gone", InstructionModels.DefaultTextModel([installed[0]], "gone"));
    }

    [Fact]
    public void An_instruction_edit_spec_starts_at_diffusers_defaults_and_round_trips_through_its_stored_form()
    {
        var spec = new JobSpec.InstructEdit { Prompt = "add a star", Source = "image:0b0b7f3e-3f53-4a3a-9a57-1d2f3e4f5a6b", Seed = 3 };

        Assert.Equal((7.5f, 1.5f), (spec.Guidance, spec.ImageGuidance));
        Assert.Equal(spec, JobSpecJson.Deserialize(JobSpecJson.Serialize(spec)));
        Assert.Contains("\"kind\":\"instruct-edit\"", JobSpecJson.Serialize(spec));
    }

    [Fact]
    public void An_edit_request_without_guidance_takes_its_operations_default()
    {
        Assert.Equal(7.5f, Instruct("image:x").SettingsWith(null).Guidance);
        Assert.Equal(new JobSpec.Img2Img().Guidance, new EditRequest { Operation = EditOperation.Restyle }.SettingsWith(null).Guidance);
        Assert.Equal(4f, (Instruct("image:x") with { Guidance = 4f }).SettingsWith(null).Guidance);
    }

    /// <summary>An instruction model's card may give the image guidance it keeps its input best at; an edit from the
    /// Edit page, a Refine turn or the OpenAI API that asks for none takes it, and one that asks keeps its own.</summary>
    [Fact]
    public void An_edit_that_asks_for_no_image_guidance_takes_the_models_card_default()
    {
        var card = ModelCard.Parse("""{"defaults": {"imageGuidance": 3}}""").Defaults;
        Assert.Equal(3f, Instruct("image:x").SettingsWith(card).ImageGuidance);
        Assert.Equal(2f, (Instruct("image:x") with { ImageGuidance = 2f }).SettingsWith(card).ImageGuidance);
        Assert.Equal(1.5f, Instruct("image:x").SettingsWith(null).ImageGuidance);
        Assert.Equal(3f, EditSettings.For(card, EditOperation.Instruct, 1f).ImageGuidance);
        Assert.Null(new WebStudio.Studio.Refine.RefineTurnRequest().ImageGuidance);

        using var picture = EditClient.Picture(64, 64);
        using var edit = new ApiEditInput(picture.Clone(), null);
        var request = new ImageRequest { Prompt = "make the circle blue", Operation = ImageOperation.Edit };
        var fromCard = ApiImageService.Spec(request, edit, TinyModelFolders.EditModelName, steps: 4, editsByInstruction: true, card);
        var asked = ApiImageService.Spec(request with { ImageGuidanceScale = 2f }, edit, TinyModelFolders.EditModelName, steps: 4, editsByInstruction: true, card);
        Assert.Equal((3f, 2f), (Assert.IsType<JobSpec.InstructEdit>(fromCard).ImageGuidance, Assert.IsType<JobSpec.InstructEdit>(asked).ImageGuidance));
    }

    /// <summary>A card's <c>autoMask</c> turns the automatic mask on for edits that do not ask; 0 turns it off, and a
    /// threshold asked for is kept. The OpenAI API's <c>auto_mask</c> follows the same rule.</summary>
    [Fact]
    public void An_edit_takes_the_models_automatic_mask_unless_it_asks_for_its_own_or_none()
    {
        var card = ModelCard.Parse("""{"defaults": {"imageGuidance": 3, "autoMask": 0.3}}""").Defaults;
        Assert.Equal(0.3f, Instruct("image:x").SettingsWith(card).AutoMask);
        Assert.Null((Instruct("image:x") with { AutoMask = 0f }).SettingsWith(card).AutoMask);
        Assert.Equal(0.5f, (Instruct("image:x") with { AutoMask = 0.5f }).SettingsWith(card).AutoMask);
        Assert.Null(Instruct("image:x").SettingsWith(null).AutoMask);

        using var picture = EditClient.Picture(64, 64);
        using var edit = new ApiEditInput(picture.Clone(), null);
        var request = new ImageRequest { Prompt = "make the circle blue", Operation = ImageOperation.Edit };
        JobSpec.InstructEdit Spec(ImageRequest r) =>
            Assert.IsType<JobSpec.InstructEdit>(ApiImageService.Spec(r, edit, TinyModelFolders.EditModelName, steps: 4, editsByInstruction: true, card));
        Assert.Equal(((float?)0.3f, (float?)null, (float?)0.6f),
            (Spec(request).AutoMask, Spec(request with { AutoMask = 0f }).AutoMask, Spec(request with { AutoMask = 0.6f }).AutoMask));
    }

    private static EditRequest Instruct(string source) => new()
    {
        Operation = EditOperation.Instruct,
        Source = source,
        Prompt = "make the circle blue",
        Model = TinyModelFolders.EditModelName,
        Steps = 4,
        Seed = 5,
    };
}
