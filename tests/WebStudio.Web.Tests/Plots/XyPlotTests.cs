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
