using System.Net;
using System.Net.Http.Json;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using WebStudio.Studio.Editing;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Options;
using WebStudio.Studio.Refine;
using WebStudio.Studio.Vocabulary;
using WebStudio.Web.Components.Shared;
using WebStudio.Web.Api;
using WebStudio.Web.Engine;
using WebStudio.Web.Tests.Editing;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Tests.Infrastructure;
using WebStudio.Web.Tests.Refine;

namespace WebStudio.Web.Tests.ModelManagement;

/// <summary>Per-model defaults from the card's <c>defaults</c> block (a Turbo model: 1 step, guidance 0): the Generate
/// form and the Edit page take them when the model is chosen, and POST /api/edits and the OpenAI API for the fields a
/// request leaves out.</summary>
[Trait("Capability", "UserModels")]
public sealed class ModelDefaultsTests(TinyModelFolders tinyModels) : IClassFixture<TinyModelFolders>
{
    private const string TurboCard = """{"defaults": {"steps": 1, "guidance": 0, "sampler": "Euler", "width": 96, "height": 64}}""";

    private static readonly JobSpec.Txt2Img Studio = new();

    [Fact]
    public void The_form_takes_a_turbo_models_defaults_and_the_studios_again_for_a_model_without()
    {
        var form = new GenerateFormModel { Steps = 30, Guidance = 9, Size = "64x64" };
        string[] sizes = ["64x64", "96x64"];

        form.TakeDefaults(ModelCard.Parse(TurboCard).Defaults, sizes);
        Assert.Equal((1, 0f, "Euler", "96x64"), (form.Steps, form.Guidance, form.Scheduler, form.Size));

        form.TakeDefaults(null, sizes);
        Assert.Equal((Studio.Steps, Studio.Guidance, Studio.Scheduler, "96x64"), (form.Steps, form.Guidance, form.Scheduler, form.Size));
    }

    [Fact]
    public async Task Choosing_a_model_in_the_generate_form_updates_its_settings()
    {
        using var folder = new TempFolder();
        var models = folder.Combine("models");
        Directory.CreateDirectory(Path.Combine(models, "turbo"));
        File.WriteAllText(Path.Combine(models, "turbo", ModelCard.FileName), TurboCard);
        await using var context = new BunitContext();
        context.Services.AddSingleton(new ModelCards(Microsoft.Extensions.Options.Options.Create(new GenerationOptions { ModelsPath = models }), NullLogger<ModelCards>.Instance));
        context.Services.AddSingleton<IGenerationEngine>(new ScriptedEngine());
        context.Services.AddMudServices();
        context.Services.AddPromptStylesWithoutUser();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Render<MudPopoverProvider>();
        var form = new GenerateFormModel { Model = "tiny", Size = "64x64" };
        var cut = context.Render<GenerateForm>(p => p.Add(c => c.Form, form).Add(c => c.Models, [new EngineModel("tiny", 64, 64), new EngineModel("turbo", 64, 64)]));

        var modelSelect = cut.FindComponents<MudSelect<string>>().First(s => s.Instance.Label == "Model");
        await cut.InvokeAsync(() => modelSelect.Instance.ValueChanged.InvokeAsync("turbo"));

        Assert.Equal(("turbo", 1, 0f, "Euler", "96x64"), (form.Model, form.Steps, form.Guidance, form.Scheduler, form.Size));
    }

    [Fact]
    public async Task The_form_offers_a_refiner_only_among_models_of_the_chosen_ones_family_and_sends_it_with_the_job()
    {
        using var folder = new TempFolder();
        await using var context = new BunitContext();
        context.Services.AddSingleton(new ModelCards(Microsoft.Extensions.Options.Options.Create(new GenerationOptions { ModelsPath = folder.Combine("models") }), NullLogger<ModelCards>.Instance));
        context.Services.AddSingleton<IGenerationEngine>(new ScriptedEngine());
        context.Services.AddMudServices();
        context.Services.AddPromptStylesWithoutUser();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Render<MudPopoverProvider>();
        var xl = WebStudio.Generation.Models.ModelFamily.StableDiffusionXL;
        EngineModel[] models = [new("tiny", 64, 64), new("xl-base", 64, 64) { Family = xl }, new("xl-refiner", 64, 64) { Family = xl }];
        var form = new GenerateFormModel { Model = "xl-base", Size = "64x64" };
        var cut = context.Render<GenerateForm>(p => p.Add(c => c.Form, form).Add(c => c.Models, models));

        var refiner = cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Refiner");
        await cut.InvokeAsync(() => refiner.Instance.ValueChanged.InvokeAsync("xl-refiner"));
        form.RefinerSwitchAt = 0.7f;
        Assert.Equal(("xl-refiner", 0.7f), (form.ToSpec().Refiner, form.ToSpec().RefinerSwitchAt));

        // Another family has no refiner to offer, and changing the model drops the one chosen.
        var model = cut.FindComponents<MudSelect<string>>().First(s => s.Instance.Label == "Model");
        await cut.InvokeAsync(() => model.Instance.ValueChanged.InvokeAsync("tiny"));
        Assert.DoesNotContain(cut.FindComponents<MudSelect<string>>(), s => s.Instance.Label == "Refiner");
        Assert.Null(form.ToSpec().Refiner);
    }

    [Fact]
    public async Task An_edit_leaving_its_settings_out_takes_the_models_defaults_with_the_steps_that_denoise_once()
    {
        using var folder = new TempFolder();
        await using var host = TurboStudio(folder);
        var alice = await StudioUserClient.RegisterAsync(host, "alice");
        using var picture = EditClient.Picture(64, 64);
        var upload = await alice.UploadAsync(picture);

        // Turbo's 1 step denoises none at a restyle's 0.75 or a hires fix's 0.05: raised to 2 and 20. Given steps stay.
        var restyle = await SubmitEditAsync(alice, new { operation = "Restyle", source = upload.Source, prompt = "a red circle", model = StudioHost.Model });
        var hires = await SubmitEditAsync(alice, new { operation = "HiresFix", source = upload.Source, prompt = "a red circle", model = StudioHost.Model, upscaleFactor = 2 });
        var given = await SubmitEditAsync(alice, new { operation = "Restyle", source = upload.Source, prompt = "a red circle", model = StudioHost.Model, steps = 3, guidance = 4, scheduler = "DDIM" });

        await using var db = host.OpenDatabase();
        var specs = await db.Jobs.Where(j => j.Id == restyle || j.Id == hires || j.Id == given).ToDictionaryAsync(j => j.Id, j => (JobSpec.Diffusion)JobSpecJson.Read(j));
        Assert.Equal((2, 0f, "Euler"), (specs[restyle].Steps, specs[restyle].Guidance, specs[restyle].Scheduler));
        Assert.Equal((20, 0f, "Euler"), (specs[hires].Steps, specs[hires].Guidance, specs[hires].Scheduler));
        Assert.Equal((3, 4f, "DDIM"), (specs[given].Steps, specs[given].Guidance, specs[given].Scheduler));
    }

    [Fact]
    public async Task An_openai_edit_on_a_turbo_model_runs_the_steps_that_denoise_once()
    {
        using var folder = new TempFolder();
        await using var host = TurboStudio(folder);
        var (_, key) = await host.CreateUserWithKeyAsync("turbo-editor");
        using var client = host.Client(key);
        using var picture = EditClient.Picture(64, 64);
        using var image = new ByteArrayContent(EditClient.Png(picture)) { Headers = { ContentType = new("image/png") } };
        using var form = new MultipartFormDataContent { { image, "image", "image.png" }, { new StringContent("a red circle"), "prompt" }, { new StringContent(StudioHost.Model), "model" } };

        using var response = await client.PostAsync("/v1/images/edits", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = host.OpenDatabase();
        var spec = Assert.IsType<JobSpec.Img2Img>(JobSpecJson.Read(await db.Jobs.SingleAsync()));
        Assert.Equal((2, 0f, ApiImageService.EditStrength), (spec.Steps, spec.Guidance, spec.Strength));
    }

    [Fact]
    public async Task Refine_takes_each_turns_models_defaults_for_the_settings_a_request_and_the_page_leave_out()
    {
        using var folder = new TempFolder();
        using var engine = tinyModels.CreateEngineWithEditModel();
        await using var host = ScriptedStudio.Create(folder, engine);
        // The first picture's model is a Turbo one; the instruction model's card gives its own settings.
        foreach (var (model, card) in new[]
        {
            (TinyModelFolders.ModelName, TurboCard),
            (TinyModelFolders.EditModelName, """{"defaults": {"steps": 3, "guidance": 5, "sampler": "DDIM", "imageGuidance": 2}}"""),
        })
        {
            Directory.CreateDirectory(Path.Combine(host.ModelsPath, model));
            File.WriteAllText(Path.Combine(host.ModelsPath, model, ModelCard.FileName), card);
        }

        var alice = await StudioUserClient.RegisterAsync(host, "alice");
        var page = await alice.Http.GetStringAsync("/refine");
        Assert.Matches("aria-valuenow=\"1\"[^>]*id=\"refine-steps\"", page);
        Assert.Matches("aria-valuenow=\"0\"[^>]*id=\"refine-text-guidance\"", page);

        var thread = await RefineThreadTests.StartAsync(alice, new RefineTurnRequest { Instruction = "a red circle", Seed = 1 });
        await RefineThreadTests.FinishedAsync(alice, thread.Turns[0]);
        thread = await RefineThreadTests.ContinueAsync(alice, thread.Id, new RefineTurnRequest { Instruction = "make the circle blue" });
        thread = await RefineThreadTests.ContinueAsync(alice, thread.Id, new RefineTurnRequest { Instruction = "make it green", ParentTurnId = thread.Turns[0].Id, Steps = 2, TextGuidance = 4 });
        Assert.Equal([(1, 0f, (float?)null), (3, 5f, 2f), (2, 4f, 2f)], thread.Turns.Select(t => (t.Steps, t.TextGuidance, t.ImageGuidance)));
        await using (var db = host.OpenDatabase())
        {
            var schedulers = await db.Jobs.OrderBy(j => j.CreatedAt).Select(j => JobSpecJson.Read(j)).ToListAsync();
            Assert.Equal(["Euler", "DDIM", "DDIM"], schedulers.Cast<JobSpec.Diffusion>().Select(s => s.Scheduler));
        }

        // The page, once the thread has a picture, shows the instruction model's.
        page = await alice.Http.GetStringAsync($"/refine?thread={thread.Id}");
        Assert.Matches("aria-valuenow=\"3\"[^>]*id=\"refine-steps\"", page);
        Assert.Matches("aria-valuenow=\"2\"[^>]*id=\"refine-image-guidance\"", page);
        Assert.Matches("<option value=\"DDIM\" selected", page);
    }

    [Theory]
    [InlineData(1, 0.5f, "None denoise at strength 0.50: use at least 2")]
    [InlineData(20, 0.05f, "1 of them denoise at strength 0.05")]
    [InlineData(20, 0.75f, "15 of them denoise at strength 0.75")]
    [InlineData(20, 1f, null)]
    public void The_edit_page_says_how_many_steps_denoise(int steps, float denoise, string? help) =>
        Assert.Equal(help, EditSettings.StepsHelp(steps, denoise));

    /// <summary>A studio on the scripted engine whose model has the Turbo card.</summary>
    private static StudioHost TurboStudio(TempFolder folder)
    {
        var host = ScriptedStudio.Create(folder);
        Directory.CreateDirectory(Path.Combine(host.ModelsPath, StudioHost.Model));
        File.WriteAllText(Path.Combine(host.ModelsPath, StudioHost.Model, ModelCard.FileName), TurboCard);
        return host;
    }

    private static async Task<Guid> SubmitEditAsync(StudioUserClient user, object request)
    {
        using var response = await user.Http.PostAsJsonAsync("/api/edits", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    [Theory]
    [InlineData("sdxl-turbo", true)]
    [InlineData("sd-turbo", true)]
    [InlineData("sdxl-lightning", false)] // trailing spacing too, but 2, 4 or 8 steps: no guess
    public void A_turbo_folder_without_a_card_implies_one_step_at_guidance_zero(string name, bool turbo)
    {
        using var folder = new TempFolder();
        var models = folder.Combine("models");
        var variant = name.StartsWith("sdxl", StringComparison.Ordinal) ? TinyModelVariant.SdxlTurbo : TinyModelVariant.SdTurbo;
        TinyStableDiffusion.Write(Path.Combine(models, name), variant);
        TinyStableDiffusion.Write(Path.Combine(models, "base-turbo-named"), TinyModelVariant.SdxlBase); // "leading" spacing
        var cards = new ModelCards(Microsoft.Extensions.Options.Options.Create(new GenerationOptions { ModelsPath = models }), NullLogger<ModelCards>.Instance);

        Assert.Equal(turbo ? ImpliedModelDefaults.Turbo : null, cards.DefaultsFor(name));
        Assert.Null(cards.DefaultsFor("base-turbo-named"));
        Assert.Null(cards.DefaultsFor("../" + name));

        // A card's own defaults win over what the folder implies.
        File.WriteAllText(Path.Combine(models, name, ModelCard.FileName), """{"defaults": {"steps": 4}}""");
        Assert.Equal(4, cards.DefaultsFor(name)!.Steps);
    }

    [Fact]
    public async Task The_api_takes_the_models_defaults_for_the_fields_a_request_leaves_out()
    {
        using var folder = new TempFolder();
        await using var host = TurboStudio(folder);
        var (_, key) = await host.CreateUserWithKeyAsync("turbo-user");
        using var client = host.Client(key);

        using var bare = await client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a red circle", model = StudioHost.Model });
        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
        using var explicitFields = await client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a blue square", model = StudioHost.Model, quality = "low", guidance_scale = 5, size = "64x64" });
        Assert.Equal(HttpStatusCode.OK, explicitFields.StatusCode);

        await using var db = host.OpenDatabase();
        var specs = (await db.Jobs.OrderBy(j => j.CreatedAt).ToListAsync()).Select(j => (JobSpec.Txt2Img)JobSpecJson.Read(j)).ToList();
        Assert.Equal((1, 0f, "Euler", 96, 64), (specs[0].Steps, specs[0].Guidance, specs[0].Scheduler, specs[0].Width, specs[0].Height));
        Assert.NotEqual(1, specs[1].Steps);
        Assert.Equal((5f, 64, 64), (specs[1].Guidance, specs[1].Width, specs[1].Height));
    }
}
