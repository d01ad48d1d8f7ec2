using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Components.Shared;
using WebStudio.Web.Engine;
using WebStudio.Studio.Engine;
using WebStudio.Web.Tests.Infrastructure;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Options;
using WebStudio.Studio.Prompts;
using WebStudio.Studio.Vocabulary;

namespace WebStudio.Web.Tests.Components;

public sealed class GenerateFormTests(TinyModelFolders model) : IClassFixture<TinyModelFolders>
{
    // Where MudBlazor draws a select's open list.
    private IRenderedComponent<MudPopoverProvider>? popovers;

    // MudBlazor's services are async-disposable only, so each test disposes its bUnit context asynchronously.
    private IRenderedComponent<GenerateForm> RenderForm(
        BunitContext context, GenerateFormModel form, Action<JobSpec.Txt2Img> onGenerate, bool withEditModel = false, Func<string, bool>? allowsModel = null,
        Wildcards? wildcards = null)
    {
        context.Services.AddSingleton(wildcards ?? Wildcards.None);
        var engine = withEditModel ? model.CreateEngineWithEditModel() : model.CreateEngine();
        context.Services.AddSingleton<IGenerationEngine>(engine);
        context.Services.AddSingleton(new ModelCards(Microsoft.Extensions.Options.Options.Create(new GenerationOptions { ModelsPath = model.ModelsPath }), NullLogger<ModelCards>.Instance));
        context.Services.AddMudServices();
        context.Services.AddPromptStylesWithoutUser();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        popovers = context.Render<MudPopoverProvider>();
        return context.Render<GenerateForm>(p => p
            .Add(c => c.Form, form)
            .Add(c => c.Models, engine.Models())
            .Add(c => c.OnGenerate, onGenerate)
            .Add(c => c.AllowsModel, allowsModel ?? (_ => true)));
    }

    // The form has several selects (the style picker's comes first): the one with this label.
    private static AngleSharp.Dom.IElement Select(IRenderedComponent<GenerateForm> cut, string label) =>
        cut.FindAll(".mud-select .mud-input-control").Single(e => e.QuerySelector("label")?.TextContent == label);

    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task A_prompt_with_choices_says_how_many_jobs_it_makes_lists_them_and_submits_the_template()
    {
        await using var context = new BunitContext();
        var submitted = new List<JobSpec.Txt2Img>();
        var form = new GenerateFormModel { Model = "tiny", Size = "64x64", Steps = 20, Guidance = 7, Prompt = "a red circle" };
        var cut = RenderForm(context, form, submitted.Add);
        Assert.Empty(cut.FindAll("#dynamic-prompts"));
        Assert.Equal("Generate", cut.Find("button#generate").TextContent.Trim());

        cut.Find("textarea#prompt").Input("a {red|blue} {circle|star}");

        Assert.Equal("The choices make 4 prompts: Generate queues a job for each, all on one seed.",
            cut.Find("#dynamic-prompts .mud-typography-caption").TextContent.Trim());
        Assert.Equal("Generate 4 jobs", cut.Find("button#generate").TextContent.Trim());
        Assert.Empty(cut.FindAll("#dynamic-prompt-list"));
        cut.Find("#dynamic-prompts button").Click();
        Assert.Equal(["a red circle", "a red star", "a blue circle", "a blue star"], cut.FindAll("#dynamic-prompt-list li").Select(li => li.TextContent));

        cut.Find("button#generate").Click();
        Assert.Equal("a {red|blue} {circle|star}", Assert.Single(submitted).Prompt);
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task Too_many_combinations_offer_a_random_draw_that_the_seed_lists_and_the_form_submits()
    {
        await using var context = new BunitContext();
        var submitted = new List<JobSpec.Txt2Img>();
        const string template = "a {0|1|2|3|4|5|6|7|8|9} {0|1|2|3|4|5|6|7|8|9} {0|1|2|3|4|5|6|7|8|9}";
        var form = new GenerateFormModel { Model = "tiny", Size = "64x64", Steps = 20, Guidance = 7, Prompt = template, Seed = -1 };
        var cut = RenderForm(context, form, submitted.Add);
        Assert.StartsWith("The choices make 1,000 prompts, and at most 100 can be queued at once", cut.Find("#dynamic-prompts").TextContent.Trim());
        Assert.True(cut.Find("input#random-prompt-count").HasAttribute("disabled"));

        cut.Find("input#random-prompts-on").Change(true);

        Assert.Equal("Generate queues 8 of the 1,000 prompts the choices make, drawn at random by the seed, all on that seed. " +
            "A random seed is drawn as they are queued; with a seed of your own they are listed here.",
            cut.Find("#dynamic-prompts .mud-typography-caption").TextContent.Trim());
        Assert.Equal("Generate 8 jobs", cut.Find("button#generate").TextContent.Trim());
        Assert.Empty(cut.FindAll("#dynamic-prompts button"));

        cut.Find("input#random-prompt-count").Change("3");
        form.Seed = 42;
        cut.Render();
        cut.Find("#dynamic-prompts button").Click();
        Assert.Equal(DynamicPrompts.Draw(template, "", 3, seed: 42).Pairs.Select(p => p.Prompt), cut.FindAll("#dynamic-prompt-list li").Select(li => li.TextContent));
        Assert.Equal("Generate 3 jobs", cut.Find("button#generate").TextContent.Trim());

        cut.Find("button#generate").Click();
        Assert.Equal(template, Assert.Single(submitted).Prompt);
        Assert.Equal(3, form.RandomPromptsAsked);
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task The_wildcards_are_offered_as_chips_that_add_one_to_the_prompt_which_then_counts_its_lines()
    {
        using var folder = new TempFolder();
        File.WriteAllLines(Path.Combine(folder.Path, "colors.txt"), ["red", "blue", "green"]);
        File.WriteAllLines(Path.Combine(folder.Path, "shapes.txt"), ["circle", "star"]);
        await using var context = new BunitContext();
        var form = new GenerateFormModel { Model = "tiny", Size = "64x64", Steps = 20, Guidance = 7, Prompt = "a" };
        var cut = RenderForm(context, form, _ => { }, wildcards: new Wildcards(folder.Path));

        Assert.Equal(["__colors__", "__shapes__"], cut.FindAll("#wildcards button.wildcard").Select(b => b.TextContent));
        cut.FindAll("#wildcards button.wildcard")[0].Click();
        cut.FindAll("#wildcards button.wildcard")[1].Click();

        Assert.Equal("a __colors__ __shapes__", form.Prompt);
        Assert.Equal("The choices make 6 prompts: Generate queues a job for each, all on one seed.",
            cut.Find("#dynamic-prompts .mud-typography-caption").TextContent.Trim());
        cut.Find("#dynamic-prompts button").Click();
        Assert.Equal("a red circle", cut.FindAll("#dynamic-prompt-list li")[0].TextContent);
        Assert.Empty(cut.FindAll("#all-wildcards"));
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task Many_wildcards_show_their_first_dozen_and_the_rest_on_request()
    {
        using var folder = new TempFolder();
        for (var i = 0; i < 30; i++)
        {
            File.WriteAllLines(Path.Combine(folder.Path, $"list{i:00}.txt"), ["red"]);
        }

        await using var context = new BunitContext();
        var cut = RenderForm(context, new GenerateFormModel { Model = "tiny", Size = "64x64", Prompt = "a" }, _ => { }, wildcards: new Wildcards(folder.Path));

        Assert.Equal(12, cut.FindAll("#wildcards button.wildcard").Count);
        Assert.Equal("18 more", cut.Find("#all-wildcards").TextContent.Trim());
        cut.Find("#all-wildcards").Click();
        Assert.Equal(30, cut.FindAll("#wildcards button.wildcard").Count);
        Assert.Equal("Fewer", cut.Find("#all-wildcards").TextContent.Trim());
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task The_xy_plot_counts_its_cells_names_a_value_it_cannot_read_and_submits_the_forms_job()
    {
        await using var context = new BunitContext();
        var submitted = new List<JobSpec.Txt2Img>();
        var form = new GenerateFormModel { Model = "tiny", Size = "64x64", Steps = 20, Guidance = 7, Prompt = "a red circle" };
        var cut = RenderForm(context, form, submitted.Add);
        Assert.Empty(cut.FindAll("#plot-summary"));

        cut.FindAll("input[type=checkbox]:not(#hires-on)").Single().Change(true);
        cut.Find("input#plot-x-values").Input("3, 7-11 (+4)");
        Assert.Equal("3 cells: Generate queues a job for each.", cut.Find("#plot-summary").TextContent.Trim());
        Assert.Equal("Generate 3 jobs (X/Y plot)", cut.Find("button#generate").TextContent.Trim());

        cut.Find("input#plot-x-values").Input("3, seven");
        Assert.Equal("The X axis (CFG scale) cannot read \"seven\": it takes numbers, or ranges such as 5-9 (+0.5) or 5-9 [5].", cut.Find("#plot-summary").TextContent.Trim());
        cut.Find("button#generate").Click();
        Assert.Contains("The X axis (CFG scale) cannot read", cut.Find("#form-errors").TextContent);
        Assert.Empty(submitted);

        cut.Find("input#plot-x-values").Input("3, 7");
        form.PlotZ = "Steps";
        cut.Find("input#plot-z-values").Input("10, 20, 30");
        Assert.Equal("2 × 1 × 3 cells, a grid for each Steps: Generate queues a job for each.", cut.Find("#plot-summary").TextContent.Trim());
        cut.Find("button#generate").Click();
        Assert.Equal("a red circle", Assert.Single(submitted).Prompt);
        Assert.Equal(new WebStudio.Studio.Plots.XyPlotRequest(WebStudio.Studio.Plots.PlotAxisKind.Guidance, "3, 7", null, "", WebStudio.Studio.Plots.PlotAxisKind.Steps, "10, 20, 30"),
            form.PlotRequest);
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task A_group_left_open_is_named_under_the_prompt_and_nothing_is_submitted()
    {
        await using var context = new BunitContext();
        var submitted = new List<JobSpec.Txt2Img>();
        var form = new GenerateFormModel { Model = "tiny", Size = "64x64", Steps = 20, Guidance = 7, Prompt = "a {red|blue circle" };
        var cut = RenderForm(context, form, submitted.Add);

        Assert.Equal("The prompt: the { at character 3 has no closing }.", cut.Find("#dynamic-prompts").TextContent.Trim());
        Assert.Equal("Generate", cut.Find("button#generate").TextContent.Trim());
        cut.Find("button#generate").Click();

        Assert.Contains("The prompt: the { at character 3 has no closing }.", cut.Find("#form-errors").TextContent);
        Assert.Empty(submitted);
    }

    [Fact]
    public async Task Out_of_range_fields_are_explained_and_nothing_is_submitted()
    {
        await using var context = new BunitContext();
        var submitted = 0;
        var form = new GenerateFormModel { Model = "tiny", Size = "64x64", Steps = 0, Guidance = 31, BatchSize = 9, Prompt = "shapes" };
        var cut = RenderForm(context, form, _ => submitted++);

        cut.Find("button#generate").Click();

        var errors = cut.Find("#form-errors").TextContent;
        Assert.Contains("Steps must be between 1 and 150.", errors);
        Assert.Contains("Guidance must be between 0 and 30.", errors);
        Assert.Contains("Batch count must be between 1 and 8.", errors);
        Assert.Equal(0, submitted);
    }

    /// <summary>A number field's text that is not a number binds 0 while the field says "Not a valid number": a CFG scale
    /// of "abc" would have generated at 0, and a seed past 2^63 at seed 0. Nothing is submitted until it is corrected.</summary>
    [Theory]
    [Trait("Capability", "Hardening")]
    [InlineData("guidance", "abc")]
    [InlineData("seed", "99999999999999999999999")]
    [InlineData("steps", "20 steps")]
    public async Task A_number_field_that_holds_no_number_stops_the_submission_until_corrected(string field, string text)
    {
        await using var context = new BunitContext();
        var submitted = new List<JobSpec.Txt2Img>();
        var form = new GenerateFormModel { Model = "tiny", Size = "64x64", Steps = 20, Guidance = 7, Seed = 5, Prompt = "shapes" };
        var cut = RenderForm(context, form, submitted.Add);

        cut.Find($"input#{field}").Change(text);
        cut.Find("button#generate").Click();

        cut.WaitForAssertion(() => Assert.Contains("A field marked in red does not hold a number", cut.Find("#form-errors").TextContent, StringComparison.Ordinal));
        Assert.Empty(submitted);

        cut.Find($"input#{field}").Change("12");
        cut.Find("button#generate").Click();

        cut.WaitForAssertion(() => Assert.Single(submitted));
        Assert.Equal(12, field switch { "guidance" => submitted[0].Guidance, "seed" => submitted[0].Seed, _ => submitted[0].Steps });
    }

    [Fact]
    public async Task An_instruction_model_is_listed_for_refine_and_cannot_be_chosen_for_a_prompt()
    {
        await using var context = new BunitContext();
        var cut = RenderForm(context, new GenerateFormModel { Model = "tiny", Size = "64x64", Prompt = "shapes" }, _ => { }, withEditModel: true);

        Select(cut, "Model").MouseDown();

        var items = popovers!.WaitForElements(".mud-list-item");
        var edit = Assert.Single(items, i => i.TextContent.Contains(TinyModelFolders.EditModelName, StringComparison.Ordinal));
        Assert.Equal($"{TinyModelFolders.EditModelName} (edits by instruction: use Refine)", edit.TextContent.Trim());
        Assert.Contains("mud-list-item-disabled", edit.ClassName, StringComparison.Ordinal);
        Assert.Contains(items, i => i.TextContent.Trim() == "tiny" && !i.ClassName!.Contains("disabled", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Capability", "TeamAdmin")]
    public async Task A_model_the_users_role_may_not_use_is_listed_greyed_out_with_the_reason()
    {
        await using var context = new BunitContext();
        var cut = RenderForm(context, new GenerateFormModel { Model = "tiny", Size = "64x64", Prompt = "shapes" }, _ => { },
            withEditModel: true, allowsModel: name => name == TinyModelFolders.EditModelName);

        Select(cut, "Model").MouseDown();

        var items = popovers!.WaitForElements(".mud-list-item");
        var tiny = Assert.Single(items, i => i.TextContent.Trim() == "tiny (not for your role)");
        Assert.Contains("mud-list-item-disabled", tiny.ClassName, StringComparison.Ordinal);
        // An instruction model says why it is greyed out whatever the role allows.
        Assert.Contains(items, i => i.TextContent.Trim() == $"{TinyModelFolders.EditModelName} (edits by instruction: use Refine)");
    }

    [Fact]
    public async Task A_valid_form_submits_its_parameters_with_the_chosen_size_and_shows_character_counters()
    {
        await using var context = new BunitContext();
        JobSpec.Txt2Img? submitted = null;
        var form = new GenerateFormModel { Model = "tiny", Size = "96x64", Steps = 25, Prompt = "a red circle", Seed = 77 };
        var cut = RenderForm(context, form, p => submitted = p);

        Assert.Contains("12 / 2000", cut.Markup);
        cut.Find("button#generate").Click();

        Assert.Empty(cut.FindAll("#form-errors"));
        // MudButton runs its OnClick through an async handler, which on a loaded machine may finish after Click returns.
        cut.WaitForAssertion(() => Assert.NotNull(submitted));
        Assert.Equal((96, 64, 25, 77L, "a red circle"), (submitted!.Width, submitted.Height, submitted.Steps, submitted.Seed, submitted.Prompt));
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task A_size_that_is_no_preset_is_set_by_width_and_height_until_a_preset_is_picked()
    {
        await using var context = new BunitContext();
        var submitted = new List<JobSpec.Txt2Img>();
        // A copied job's size that the presets lack: the select says Custom and the fields hold it.
        var form = new GenerateFormModel { Model = "tiny", Size = "160x96", Steps = 20, Guidance = 7, Prompt = "a red circle" };
        var cut = RenderForm(context, form, submitted.Add);
        Assert.Equal(("160", "96"), (cut.Find("input#width").GetAttribute("value"), cut.Find("input#height").GetAttribute("value")));

        cut.Find("input#width").Change("224");
        cut.Find("button#generate").Click();
        cut.WaitForAssertion(() => Assert.Single(submitted));
        Assert.Equal((224, 96), (submitted[0].Width, submitted[0].Height));

        Select(cut, "Size").MouseDown();
        popovers!.WaitForElements(".mud-list-item").Single(i => i.TextContent.Trim() == "64 × 64").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("input#width")));
        Assert.Equal("64x64", form.Size);

        // Custom… starts from the size there is.
        Select(cut, "Size").MouseDown();
        popovers!.WaitForElements(".mud-list-item").Single(i => i.TextContent.Trim() == "Custom…").Click();
        cut.WaitForAssertion(() => Assert.Equal("64", cut.Find("input#height").GetAttribute("value")));
        cut.Find("input#height").Change("128");
        Assert.Equal("64x128", form.Size);
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task Swapping_width_and_height_keeps_a_preset_a_preset_and_a_custom_size_custom()
    {
        await using var context = new BunitContext();
        var form = new GenerateFormModel { Model = "tiny", Size = "96x64", Steps = 20, Guidance = 7, Prompt = "a red circle" };
        var cut = RenderForm(context, form, _ => { });

        cut.Find("button#swap-size").Click();
        Assert.Equal("64x96", form.Size);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("input#width")));

        form.Size = "160x96";
        cut.Render();
        cut.Find("button#swap-size").Click();
        Assert.Equal("96x160", form.Size);
        cut.WaitForAssertion(() => Assert.Equal(("96", "160"), (cut.Find("input#width").GetAttribute("value"), cut.Find("input#height").GetAttribute("value"))));
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task The_CFG_rescale_field_goes_into_the_submitted_job()
    {
        await using var context = new BunitContext();
        var submitted = new List<JobSpec.Txt2Img>();
        var form = new GenerateFormModel { Model = "tiny", Size = "64x64", Steps = 20, Guidance = 12, Prompt = "a red circle" };
        var cut = RenderForm(context, form, submitted.Add);
        Assert.Equal("0", cut.Find("input#guidance-rescale").GetAttribute("value"));

        cut.Find("input#guidance-rescale").Change("0.7");
        cut.Find("button#generate").Click();

        Assert.Equal((12f, 0.7f), (Assert.Single(submitted).Guidance, submitted[0].GuidanceRescale));
    }

    [Fact]
    public async Task The_hires_fix_checkbox_shows_its_fields_with_the_size_it_makes_and_goes_into_the_submitted_job()
    {
        await using var context = new BunitContext();
        var submitted = new List<JobSpec.Txt2Img>();
        var form = new GenerateFormModel { Model = "tiny", Size = "64x64", Steps = 20, Guidance = 7, Prompt = "a red circle" };
        var cut = RenderForm(context, form, submitted.Add);
        Assert.Empty(cut.FindAll("input#hires-strength"));

        cut.Find("input#hires-on").Change(true);
        Assert.Contains("→ 128×128", cut.Markup);
        cut.Find("input#hires-strength").Change("0.3");
        cut.Find("input#hires-steps").Change("8");
        cut.Find("button#generate").Click();

        Assert.Equal(new HiresPass { Factor = 2, Strength = 0.3f, Steps = 8 }, Assert.Single(submitted).Hires);
    }

    [Fact]
    public void Size_presets_fit_the_model()
    {
        Assert.Equal(["128x128", "192x128", "128x192", "256x256"], SizePresets.For(new EngineModel("m", 128, 128)));
        Assert.Equal((0, 0), SizePresets.Parse("../7x"));
    }
}
