using WebStudio.Studio.Jobs;
using WebStudio.Studio.Plots;

namespace WebStudio.Web.Tests.Plots;

/// <summary>A1111's X/Y plot: the axes' values as A1111 writes them, and a job per cell.</summary>
[Trait("Capability", "StudioCore")]
public sealed class XyPlotTests
{
    private static readonly PlotChoices Choices = new(["Euler a", "Euler", "DDIM"], ["webstudio-shapes", "sd15"]);

    private static IReadOnlyList<string> Values(PlotAxisKind kind, string text)
    {
        var (axis, problem) = XyPlot.ReadAxis(kind, text, "x", Choices);
        Assert.Null(problem);
        return axis!.Values;
    }

    [Fact]
    public void Numbers_are_read_as_lists_and_as_A1111s_ranges()
    {
        Assert.Equal(["10", "20", "30"], Values(PlotAxisKind.Steps, "10, 20,30"));
        Assert.Equal(["1", "2", "3", "4"], Values(PlotAxisKind.Seed, "1-4"));
        Assert.Equal(["10", "15", "20", "25", "30"], Values(PlotAxisKind.Steps, "10-30 (+5)"));
        Assert.Equal(["30", "20", "10"], Values(PlotAxisKind.Steps, "30-10 (+10)"));
        Assert.Equal(["5", "7", "9"], Values(PlotAxisKind.Steps, "5-9 [3]"));
        Assert.Equal(["3", "5.5", "8"], Values(PlotAxisKind.Guidance, "3-8 [3]"));
        Assert.Equal(["4", "4.5", "5", "5.5", "6"], Values(PlotAxisKind.Guidance, "4-6 (+0.5)"));
        Assert.Equal(["2", "7", "7.5", "8"], Values(PlotAxisKind.Guidance, "2, 7-8 (+0.5)"));
        Assert.Equal(["-1", "42"], Values(PlotAxisKind.Seed, "-1, 42"));
    }

    [Fact]
    public void Samplers_and_models_are_matched_by_name_and_prompt_values_keep_a_quoted_comma()
    {
        Assert.Equal(["Euler a", "DDIM"], Values(PlotAxisKind.Sampler, "euler A, ddim"));
        Assert.Equal(["sd15", "webstudio-shapes"], Values(PlotAxisKind.Model, "SD15, webstudio-shapes"));
        Assert.Equal(["red", "dark blue, glossy", "green"], Values(PlotAxisKind.PromptReplace, "red, \"dark blue, glossy\", green"));
    }

    [Theory]
    [InlineData(PlotAxisKind.Steps, "10, twenty", "the X axis (Steps) cannot read \"twenty\": it takes whole numbers, or ranges such as 10-30 or 10-30 (+5)")]
    [InlineData(PlotAxisKind.Steps, "10-20 (+0.5)", "the X axis (Steps) cannot read \"10-20 (+0.5)\": it takes whole numbers, or ranges such as 10-30 or 10-30 (+5)")]
    [InlineData(PlotAxisKind.Guidance, "7, NaN", "the X axis (CFG scale) cannot read \"NaN\": it takes numbers, or ranges such as 5-9 (+0.5) or 5-9 [5]")]
    [InlineData(PlotAxisKind.Sampler, "Euler a, Heun", "the X axis (Sampler) cannot read \"Heun\": it takes samplers: Euler a, Euler, DDIM")]
    [InlineData(PlotAxisKind.Model, "sd15, sdxl", "the X axis (Model) cannot read \"sdxl\": it takes models: webstudio-shapes, sd15")]
    [InlineData(PlotAxisKind.Seed, " , ", "the X axis (Seed) needs values, separated by commas")]
    [InlineData(PlotAxisKind.Seed, "1-1000", "the X axis (Seed) cannot read \"1-1000\": it takes whole numbers, or ranges such as 10-30 or 10-30 (+5)")]
    [InlineData(PlotAxisKind.Guidance, "1-5 (+0)", "the X axis (CFG scale) cannot read \"1-5 (+0)\": it takes numbers, or ranges such as 5-9 (+0.5) or 5-9 [5]")]
    [InlineData(PlotAxisKind.GuidanceRescale, "0, 1.5", "the X axis (CFG rescale) cannot read \"1.5\": it takes numbers from 0 to 1, or ranges such as 0-1 [5]")]
    public void A_value_that_cannot_be_read_is_named_with_what_the_axis_takes(PlotAxisKind kind, string text, string message)
    {
        var (axis, problem) = XyPlot.ReadAxis(kind, text, "x", Choices);

        Assert.Null(axis);
        Assert.Equal(("x", message), (problem!.Field, problem.Message));
    }

    [Fact]
    public void A_model_axis_offers_the_models_that_make_an_image_from_a_prompt_and_its_cells_run_each()
    {
        var choices = PlotChoices.Of(["Euler a"], [new("webstudio-shapes", 128, 128), new("webstudio-edit", 128, 128) { EditsByInstruction = true }, new("sd15", 512, 512)]);
        Assert.Equal(["webstudio-shapes", "sd15"], choices.Models);

        var spec = new JobSpec.Txt2Img { Prompt = "a red circle", Model = "webstudio-shapes", Steps = 20 };
        var plan = XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.Model, "webstudio-shapes, SD15", PlotAxisKind.Steps, "10, 30"), choices);

        Assert.Null(plan.Problem);
        Assert.Equal(["webstudio-shapes 10", "sd15 10", "webstudio-shapes 30", "sd15 30"], plan.Cells.Select(c => $"{c.Spec.Model} {c.Spec.Steps}"));
        Assert.Equal("Model", plan.Axes!.X.Name);
        Assert.StartsWith("the X axis (Model) cannot read \"webstudio-edit\"",
            XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.Model, "webstudio-edit"), choices).Problem!.Message);
    }

    [Fact]
    public void Each_cell_is_the_forms_job_with_its_column_and_row_applied_row_by_row()
    {
        var spec = new JobSpec.Txt2Img { Prompt = "a red circle", NegativePrompt = "red blur", Steps = 20, Guidance = 7, Seed = 5, Scheduler = "Euler a" };
        var (axes, problem) = XyPlot.Read(new XyPlotRequest(PlotAxisKind.Guidance, "3, 9", PlotAxisKind.PromptReplace, "red, blue, green"), Choices);
        Assert.Null(problem);

        var (cells, cellProblem) = XyPlot.CellsOf(spec, axes!);

        Assert.Null(cellProblem);
        Assert.Equal((2, 3), (axes!.Columns, axes.Rows));
        Assert.Equal(
            ["0,0 3 a red circle/red blur", "0,1 9 a red circle/red blur", "1,0 3 a blue circle/blue blur", "1,1 9 a blue circle/blue blur", "2,0 3 a green circle/green blur", "2,1 9 a green circle/green blur"],
            cells.Select(c => $"{c.Row},{c.Column} {c.Spec.Guidance} {c.Spec.Prompt}/{c.Spec.NegativePrompt}"));
        Assert.All(cells, c => Assert.Equal((5L, 20, "Euler a"), (c.Spec.Seed, c.Spec.Steps, c.Spec.Scheduler)));
    }

    [Fact]
    public void Variation_and_size_axes_set_the_cells_variation_seed_strength_and_size()
    {
        var spec = new JobSpec.Txt2Img { Prompt = "a red circle", Seed = 5, VariationSeed = 40, VariationStrength = 0.3f };

        var plan = XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.VariationSeed, "7, 8", PlotAxisKind.Size, "128x128, 192 X 128"), Choices);
        Assert.Null(plan.Problem);
        Assert.Equal(["7 128x128", "8 128x128", "7 192x128", "8 192x128"], plan.Cells.Select(c => $"{c.Spec.VariationSeed} {c.Spec.Width}x{c.Spec.Height}"));
        Assert.Equal(["128x128", "192x128"], plan.Axes!.Y!.Values);

        Assert.Equal(["0", "0.25", "0.5", "0.75", "1"], Values(PlotAxisKind.VariationStrength, "0-1 [5]"));
        var strengths = XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.VariationStrength, "0, 0.5"), Choices);
        Assert.Equal([(40L, 0f), (40L, 0.5f)], strengths.Cells.Select(c => (c.Spec.VariationSeed!.Value, c.Spec.VariationStrength)));
    }

    [Theory]
    [InlineData(PlotAxisKind.VariationStrength, "0.5, 1.5", "the X axis (Var. strength) cannot read \"1.5\": it takes numbers from 0 to 1, or ranges such as 0-1 [5]")]
    [InlineData(PlotAxisKind.Size, "128x128, big", "the X axis (Size) cannot read \"big\": it takes sizes, width x height, such as 128x128 or 192x128")]
    [InlineData(PlotAxisKind.PromptOrder, "red", "the X axis (Prompt order) needs two different phrases of the prompt or more, separated by commas")]
    [InlineData(PlotAxisKind.PromptOrder, "a, b, c, d, e", "the X axis (Prompt order) has 5 phrases, whose orders are more than 100: take out some")]
    public void A_new_axis_names_what_it_cannot_read(PlotAxisKind kind, string text, string message)
    {
        Assert.Equal(message, XyPlot.ReadAxis(kind, text, "x", Choices).Problem!.Message);
    }

    [Fact]
    public void A_variation_seed_axis_without_a_variation_strength_is_refused_as_changing_nothing()
    {
        var spec = new JobSpec.Txt2Img { Prompt = "a red circle", Seed = 5 };

        Assert.Equal("Var. seed changes nothing at a variation strength of 0: set one (under Variation), or plot Var. strength too",
            XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.VariationSeed, "7, 8"), Choices).Problem!.Message);
        Assert.Null(XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.VariationSeed, "7, 8", PlotAxisKind.VariationStrength, "0.2, 0.4"), Choices).Problem);
    }

    [Fact]
    public void Prompt_order_puts_the_phrases_in_every_order_in_their_places_in_the_prompt()
    {
        var spec = new JobSpec.Txt2Img { Prompt = "a red circle above a blue star, on white" };

        var plan = XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.PromptOrder, "red circle, blue star, on white"), Choices);

        Assert.Null(plan.Problem);
        Assert.Equal(["red circle, blue star, on white", "red circle, on white, blue star", "blue star, red circle, on white",
            "blue star, on white, red circle", "on white, red circle, blue star", "on white, blue star, red circle"], plan.Axes!.X.Values);
        Assert.Equal(["a red circle above a blue star, on white", "a red circle above a on white, blue star", "a blue star above a red circle, on white",
            "a blue star above a on white, red circle", "a on white above a red circle, blue star", "a on white above a blue star, red circle"],
            plan.Cells.Select(c => c.Spec.Prompt));

        Assert.Equal("Prompt order looks for \"green\" in the prompt, and it does not have it",
            XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.PromptOrder, "red, green"), Choices).Problem!.Message);
        Assert.Equal("Prompt order's \"red circle\" and \"circle above\" overlap in the prompt: name phrases apart",
            XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.PromptOrder, "red circle, circle above"), Choices).Problem!.Message);
    }

    [Fact]
    public void Prompt_order_after_a_Prompt_S_R_that_replaces_one_of_its_phrases_is_refused_by_name()
    {
        var spec = new JobSpec.Txt2Img { Prompt = "a red circle above a blue star" };
        const string refusal = "Prompt order looks for its phrases in each cell's prompt, and another axis takes one of them out: let Prompt S/R change words outside them";

        // Z and then X meet the prompt before Y: an S/R there that rewrites "red circle" leaves Y's order nothing to move.
        var afterX = XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.PromptReplace, "red circle, green ring", PlotAxisKind.PromptOrder, "red circle, blue star"), Choices);
        var afterZ = XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.PromptOrder, "red circle, blue star", Z: PlotAxisKind.PromptReplace, ZValues: "red, green"), Choices);
        Assert.Equal(("y", refusal), (afterX.Problem!.Field, afterX.Problem.Message));
        Assert.Equal(("x", refusal), (afterZ.Problem!.Field, afterZ.Problem.Message));

        // Words outside the phrases may change; and an order applied first keeps its phrases' new places under a later S/R.
        var outside = XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.PromptReplace, "above, below", PlotAxisKind.PromptOrder, "red circle, blue star"), Choices);
        Assert.Equal(["a red circle above a blue star", "a red circle below a blue star", "a blue star above a red circle", "a blue star below a red circle"],
            outside.Cells.Select(c => c.Spec.Prompt));
        var orderFirst = XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.PromptOrder, "red circle, blue star", PlotAxisKind.PromptReplace, "red, green"), Choices);
        Assert.Equal(["a red circle above a blue star", "a blue star above a red circle", "a green circle above a blue star", "a blue star above a green circle"],
            orderFirst.Cells.Select(c => c.Spec.Prompt));
    }

    [Fact]
    public void A_prompt_of_one_combination_is_plotted_as_the_text_it_makes()
    {
        var spec = new JobSpec.Txt2Img { Prompt = "a {1$$red} circle {3::big}", Steps = 20, Scheduler = "Euler a" };

        var plan = XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.Steps, "10, 30"), Choices);

        Assert.Null(plan.Problem);
        Assert.All(plan.Cells, cell => Assert.Equal("a red circle {3::big}", cell.Spec.Prompt));
        Assert.Equal("an X/Y plot takes a prompt without {…|…} choices or wildcards: put the words to compare on a Prompt S/R axis",
            XyPlot.Plan(spec with { Prompt = "a {2$$red|blue} circle" }, new XyPlotRequest(PlotAxisKind.Steps, "10, 30"), Choices).Problem!.Message);
    }

    [Fact]
    public void A_CFG_rescale_axis_gives_each_cell_its_rescale_beside_the_scale()
    {
        var spec = new JobSpec.Txt2Img { Prompt = "a red circle", Steps = 20, Guidance = 7, Scheduler = "Euler a" };

        var plan = XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.GuidanceRescale, "0-0.7 [3]", PlotAxisKind.Guidance, "7, 20"), Choices);

        Assert.Null(plan.Problem);
        Assert.Equal(["7 0", "7 0.35", "7 0.7", "20 0", "20 0.35", "20 0.7"],
            plan.Cells.Select(c => FormattableString.Invariant($"{c.Spec.Guidance} {c.Spec.GuidanceRescale}")));
        Assert.Equal("CFG rescale", XyPlot.NameOf(PlotAxisKind.GuidanceRescale));
    }

    [Fact]
    public void A_z_axis_makes_a_grid_per_value_each_the_x_and_y_plot_of_it()
    {
        var spec = new JobSpec.Txt2Img { Prompt = "a red circle", Steps = 20, Guidance = 7, Scheduler = "Euler a" };

        var plan = XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.Guidance, "3, 9", PlotAxisKind.Steps, "10, 30", PlotAxisKind.Sampler, "euler a, DDIM"), Choices);

        Assert.Null(plan.Problem);
        Assert.Equal((2, 2, 2, 8), (plan.Axes!.Columns, plan.Axes.Rows, plan.Axes.Grids, plan.Axes.Cells));
        Assert.Equal(["0 0,0 3 10 Euler a", "0 0,1 9 10 Euler a", "0 1,0 3 30 Euler a", "0 1,1 9 30 Euler a", "1 0,0 3 10 DDIM", "1 0,1 9 10 DDIM", "1 1,0 3 30 DDIM", "1 1,1 9 30 DDIM"],
            plan.Cells.Select(c => $"{c.Grid} {c.Row},{c.Column} {c.Spec.Guidance} {c.Spec.Steps} {c.Spec.Scheduler}"));

        // A Z without a Y: a row per grid.
        Assert.Equal(4, XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.Guidance, "3, 9", null, null, PlotAxisKind.Seed, "1, 2"), Choices).Cells.Count);
        Assert.Equal("the Y and Z axes both vary Steps: pick another for one of them",
            XyPlot.Read(new XyPlotRequest(PlotAxisKind.Guidance, "3", PlotAxisKind.Steps, "10", PlotAxisKind.Steps, "20"), Choices).Problem!.Message);
        Assert.Equal("the X and Z axes both vary CFG scale: pick another for one of them",
            XyPlot.Read(new XyPlotRequest(PlotAxisKind.Guidance, "3", null, null, PlotAxisKind.Guidance, "20"), Choices).Problem!.Message);
        Assert.Equal("the plot has 120 cells, and at most 100 can be queued at once: take out some values",
            XyPlot.Plan(spec, new XyPlotRequest(PlotAxisKind.Guidance, "1-5", PlotAxisKind.Steps, "1-4", PlotAxisKind.Seed, "1-6"), Choices).Problem!.Message);
    }

    [Fact]
    public void A_plot_that_cannot_be_made_says_why()
    {
        var spec = new JobSpec.Txt2Img { Prompt = "a red circle" };

        var (_, sameAxis) = XyPlot.Read(new XyPlotRequest(PlotAxisKind.Steps, "10, 20", PlotAxisKind.Steps, "30"), Choices);
        Assert.Equal("the X and Y axes both vary Steps: pick another for one of them", sameAxis!.Message);

        var (missing, _) = XyPlot.Read(new XyPlotRequest(PlotAxisKind.PromptReplace, "square, circle"), Choices);
        var (none, notInPrompt) = XyPlot.CellsOf(spec, missing!);
        Assert.Empty(none);
        Assert.Equal("Prompt S/R looks for its first value, \"square\", in the prompts, and they do not have it", notInPrompt!.Message);

        var (large, _) = XyPlot.Read(new XyPlotRequest(PlotAxisKind.Seed, "1-11", PlotAxisKind.Steps, "1-10"), Choices);
        var (_, tooMany) = XyPlot.CellsOf(spec, large!);
        Assert.Equal("the plot has 110 cells, and at most 100 can be queued at once: take out some values", tooMany!.Message);
    }
}
