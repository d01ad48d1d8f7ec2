using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.VisualBasic.FileIO;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;

namespace WebStudio.Studio.Plots;

/// <summary>What an axis of an X/Y plot varies, as A1111's X/Y/Z plot script names them.</summary>
public enum PlotAxisKind
{
    Seed,

    /// <summary>A1111's "Var. seed": the seed of the picture each cell departs towards from the seed's.</summary>
    VariationSeed,

    /// <summary>A1111's "Var. strength": how far each cell departs towards the variation seed's picture, 0 to 1.</summary>
    VariationStrength,

    Steps,
    Guidance,

    /// <summary>CFG rescale (as A1111's CFG rescale extension adds to the plot), 0 to 1.</summary>
    GuidanceRescale,

    Sampler,

    /// <summary>The model (A1111's "Checkpoint name"): any the engine has that makes an image from a prompt.</summary>
    Model,

    /// <summary>The picture's size, as the form writes it (128x128, 192x128).</summary>
    Size,

    /// <summary>Prompt S/R: the first value is found in the prompt, and each value takes its place in turn.</summary>
    PromptReplace,

    /// <summary>A1111's "Prompt order": the values are phrases of the prompt, and the cells take them in every order.</summary>
    PromptOrder,
}

/// <summary>One axis: what it varies and its values, as the cells' labels show them. A Prompt order axis keeps each
/// value's phrases in its order (<see cref="Orders"/>), its label being them joined.</summary>
public sealed record PlotAxis(PlotAxisKind Kind, IReadOnlyList<string> Values)
{
    public string Name => XyPlot.NameOf(Kind);

    public IReadOnlyList<IReadOnlyList<string>> Orders { get; init; } = [];
}

/// <summary>What a Sampler or Model axis may name: the engine's samplers, and its models that make an image from a
/// prompt.</summary>
public sealed record PlotChoices(IReadOnlyList<string> Samplers, IReadOnlyList<string> Models)
{
    public static PlotChoices Of(IGenerationEngine engine) => Of(engine.Schedulers, engine.Models());

    public static PlotChoices Of(IReadOnlyList<string> samplers, IEnumerable<EngineModel> models) =>
        new(samplers, models.Where(m => !m.EditsByInstruction).Select(m => m.Name).ToList());
}

/// <summary>A plot as the form asks for it: the X axis, and the Y and Z axes or none.</summary>
public sealed record XyPlotRequest(PlotAxisKind X, string XValues, PlotAxisKind? Y = null, string? YValues = null, PlotAxisKind? Z = null, string? ZValues = null);

/// <summary>A plot's axes, read: the X axis, and the Y axis or none; a Z axis makes a grid per value (A1111's X/Y/Z
/// plot).</summary>
public sealed record XyPlotAxes(PlotAxis X, PlotAxis? Y, PlotAxis? Z = null)
{
    public int Columns => X.Values.Count;

    public int Rows => Y?.Values.Count ?? 1;

    public int Grids => Z?.Values.Count ?? 1;

    public int Cells => Columns * Rows * Grids;

    public IEnumerable<PlotAxis> All => new[] { X, Y, Z }.OfType<PlotAxis>();
}

/// <summary>A plot ready to queue: its axes and cells; or, with neither, the problem that stops it.</summary>
public sealed record XyPlotPlan(XyPlotAxes? Axes, IReadOnlyList<PlotCell> Cells, FieldProblem? Problem);

/// <summary>A cell of the plot: its row (Y) and column (X), the grid it is in (Z), and the job it runs.</summary>
public sealed record PlotCell(int Row, int Column, JobSpec.Txt2Img Spec, int Grid = 0);

/// <summary>
/// A1111's X/Y/Z plot: the form's job made again for each value of one parameter (X), or of two (X and Y), or three
/// (a grid per value of Z), a job per cell, to compare side by side. Values are written as A1111 writes them: a comma-separated list (CSV, so a value
/// with a comma goes in double quotes), and for numbers ranges too: <c>10-30</c> (every whole number), <c>10-30 (+5)</c>
/// (in steps of 5), <c>5-9 [3]</c> (three values evenly from 5 to 9).
/// </summary>
public static partial class XyPlot
{
    /// <summary>The most cells one plot may have: each is a job of its own.</summary>
    public const int MaxCells = 100;

    public static string NameOf(PlotAxisKind kind) => kind switch
    {
        PlotAxisKind.Seed => "Seed",
        PlotAxisKind.VariationSeed => "Var. seed",
        PlotAxisKind.VariationStrength => "Var. strength",
        PlotAxisKind.Steps => "Steps",
        PlotAxisKind.Guidance => "CFG scale",
        PlotAxisKind.GuidanceRescale => "CFG rescale",
        PlotAxisKind.Sampler => "Sampler",
        PlotAxisKind.Model => "Model",
        PlotAxisKind.Size => "Size",
        PlotAxisKind.PromptReplace => "Prompt S/R",
        PlotAxisKind.PromptOrder => "Prompt order",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The plot <paramref name="request"/> makes of <paramref name="spec"/>: its axes and cells, or the first
    /// problem with them (a prompt with {…|…} choices, an axis, a cell). The form's count and the submission read it
    /// alike.</summary>
    public static XyPlotPlan Plan(JobSpec.Txt2Img spec, XyPlotRequest request, PlotChoices choices, Prompts.Wildcards? wildcards = null)
    {
        var prompts = Prompts.DynamicPrompts.Of(spec.Prompt, spec.NegativePrompt, wildcards: wildcards);
        if (prompts.Varies)
        {
            return new XyPlotPlan(null, [], new FieldProblem("prompt", "an X/Y plot takes a prompt without {…|…} choices or wildcards: put the words to compare on a Prompt S/R axis"));
        }

        // The one text a template of one combination makes (a one-line wildcard's line), as a job of it would run.
        spec = prompts.Pairs[0].On(spec);

        var (axes, problem) = Read(request, choices);
        if (axes is null)
        {
            return new XyPlotPlan(null, [], problem);
        }

        var (cells, cellProblem) = CellsOf(spec, axes);
        return cellProblem is null ? new XyPlotPlan(axes, cells, null) : new XyPlotPlan(null, [], cellProblem);
    }

    /// <summary>The axes of <paramref name="request"/>, or the first problem with them.</summary>
    public static (XyPlotAxes? Axes, FieldProblem? Problem) Read(XyPlotRequest request, PlotChoices choices)
    {
        var read = new List<PlotAxis?>();
        foreach (var (kind, values, field) in new[] { ((PlotAxisKind?)request.X, request.XValues, "x"), (request.Y, request.YValues, "y"), (request.Z, request.ZValues, "z") })
        {
            if (kind is not { } asked)
            {
                read.Add(null);
                continue;
            }

            var (axis, problem) = ReadAxis(asked, values, field, choices);
            if (problem is not null)
            {
                return (null, problem);
            }

            if (read.OfType<PlotAxis>().FirstOrDefault(other => other.Kind == asked) is { } same)
            {
                var first = read.IndexOf(same) == 0 ? "X" : "Y";
                return (null, new FieldProblem(field, $"the {first} and {field.ToUpperInvariant()} axes both vary {NameOf(asked)}: pick another for one of them"));
            }

            read.Add(axis);
        }

        return (new XyPlotAxes(read[0]!, read[1], read[2]), null);
    }

    /// <summary>The axis <paramref name="text"/> describes, or why it cannot be read, naming the axis by
    /// <paramref name="field"/> ("x" or "y").</summary>
    public static (PlotAxis? Axis, FieldProblem? Problem) ReadAxis(PlotAxisKind kind, string? text, string field, PlotChoices choices)
    {
        var name = $"the {field.ToUpperInvariant()} axis ({NameOf(kind)})";
        var values = Split(text);
        if (values.Count == 0)
        {
            return (null, new FieldProblem(field, $"{name} needs values, separated by commas"));
        }

        if (kind == PlotAxisKind.PromptOrder)
        {
            return Ordered(values, field, name);
        }

        var expanded = new List<string>();
        foreach (var value in values)
        {
            var read = kind switch
            {
                PlotAxisKind.Seed or PlotAxisKind.VariationSeed or PlotAxisKind.Steps => Whole(value),
                PlotAxisKind.Guidance => Decimal(value),
                PlotAxisKind.VariationStrength or PlotAxisKind.GuidanceRescale =>
                    Decimal(value) is { } shares && shares.All(v => float.Parse(v, CultureInfo.InvariantCulture) is >= 0 and <= 1) ? shares : null,
                PlotAxisKind.Sampler => Named(choices.Samplers, value),
                PlotAxisKind.Model => Named(choices.Models, value),
                PlotAxisKind.Size => SizePresets.Parse(value.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()) is (> 0, > 0) and var (width, height) ? [SizePresets.Format(width, height)] : null,
                _ => [value],
            };
            if (read is null)
            {
                var expected = kind switch
                {
                    PlotAxisKind.Seed or PlotAxisKind.VariationSeed or PlotAxisKind.Steps => "whole numbers, or ranges such as 10-30 or 10-30 (+5)",
                    PlotAxisKind.Guidance => "numbers, or ranges such as 5-9 (+0.5) or 5-9 [5]",
                    PlotAxisKind.VariationStrength or PlotAxisKind.GuidanceRescale => "numbers from 0 to 1, or ranges such as 0-1 [5]",
                    PlotAxisKind.Model => $"models: {string.Join(", ", choices.Models)}",
                    PlotAxisKind.Size => "sizes, width x height, such as 128x128 or 192x128",
                    _ => $"samplers: {string.Join(", ", choices.Samplers)}",
                };
                return (null, new FieldProblem(field, $"{name} cannot read \"{value}\": it takes {expected}"));
            }

            expanded.AddRange(read);
            if (expanded.Count > MaxCells)
            {
                return (null, new FieldProblem(field, $"{name} has more than {MaxCells} values"));
            }
        }

        return (new PlotAxis(kind, expanded), null);
    }

    // Prompt order: every order of the phrases, as A1111 lists them (the axis's own first); in each cell, an order's
    // phrases take the places of the phrases in the prompt, in the prompt's order.
    private static (PlotAxis? Axis, FieldProblem? Problem) Ordered(IReadOnlyList<string> phrases, string field, string name)
    {
        if (phrases.Count < 2 || phrases.Distinct(StringComparer.Ordinal).Count() < phrases.Count)
        {
            return (null, new FieldProblem(field, $"{name} needs two different phrases of the prompt or more, separated by commas"));
        }

        // n phrases make n! orders: 5 make 120.
        if (Enumerable.Range(1, phrases.Count).Aggregate(1L, (product, n) => product * n) > MaxCells)
        {
            return (null, new FieldProblem(field, $"{name} has {phrases.Count} phrases, whose orders are more than {MaxCells}: take out some"));
        }

        var orders = Orders(phrases).ToList();
        return (new PlotAxis(PlotAxisKind.PromptOrder, [.. orders.Select(order => string.Join(", ", order))]) { Orders = orders }, null);
    }

    private static IEnumerable<IReadOnlyList<string>> Orders(IReadOnlyList<string> phrases) => phrases.Count == 1 ? [phrases]
        : phrases.SelectMany((first, i) => Orders([.. phrases.Where((_, j) => j != i)]).Select(rest => (IReadOnlyList<string>)[first, .. rest]));

    /// <summary>The plot's cells, grid by grid (Z), row by row (Y), each row's columns (X) in order: the form's job with
    /// each cell's values applied. Null with the problem where a cell cannot be made (a Prompt S/R whose text is not in the
    /// prompt), or where there are more than <see cref="MaxCells"/>.</summary>
    public static (IReadOnlyList<PlotCell> Cells, FieldProblem? Problem) CellsOf(JobSpec.Txt2Img spec, XyPlotAxes axes)
    {
        var (x, y, z) = (axes.X, axes.Y, axes.Z);
        if (axes.Cells > MaxCells)
        {
            return ([], new FieldProblem("x", $"the plot has {axes.Cells} cells, and at most {MaxCells} can be queued at once: take out some values"));
        }

        foreach (var (axis, field) in new[] { (x, "x"), (y, "y"), (z, "z") })
        {
            if (axis is { Kind: PlotAxisKind.PromptReplace } replace && !spec.Prompt.Contains(replace.Values[0], StringComparison.Ordinal)
                && !spec.NegativePrompt.Contains(replace.Values[0], StringComparison.Ordinal))
            {
                return ([], new FieldProblem(field, $"Prompt S/R looks for its first value, \"{replace.Values[0]}\", in the prompts, and they do not have it"));
            }

            if (axis is { Kind: PlotAxisKind.PromptOrder } order && Places(spec.Prompt, order.Orders[0]) is { Problem: { } notPlaced })
            {
                return ([], new FieldProblem(field, notPlaced));
            }

            // A1111's Var. seed changes nothing where the variation strength is 0: say so rather than run a row of one picture.
            if (axis is { Kind: PlotAxisKind.VariationSeed } && spec.VariationStrength == 0 && axes.All.All(a => a.Kind != PlotAxisKind.VariationStrength))
            {
                return ([], new FieldProblem(field, "Var. seed changes nothing at a variation strength of 0: set one (under Variation), or plot Var. strength too"));
            }
        }

        var cells = new List<PlotCell>(axes.Cells);
        for (var grid = 0; grid < axes.Grids; grid++)
        {
            // Z meets the form's prompt, checked above; X and Y meet what the axes before them made of it.
            var layer = z is null ? spec : Apply(spec, z, grid)!;
            for (var row = 0; row < axes.Rows; row++)
            {
                for (var column = 0; column < axes.Columns; column++)
                {
                    var cell = Apply(layer, x, column);
                    if (y is not null && cell is not null)
                    {
                        cell = Apply(cell, y, row);
                    }

                    if (cell is null)
                    {
                        return ([], new FieldProblem(x.Kind == PlotAxisKind.PromptOrder ? "x" : "y",
                            "Prompt order looks for its phrases in each cell's prompt, and another axis takes one of them out: let Prompt S/R change words outside them"));
                    }

                    cells.Add(new PlotCell(row, column, cell, grid));
                }
            }
        }

        return (cells, null);
    }

    // The spec with the axis's value at index applied; null where a Prompt order axis no longer finds its phrases (an
    // axis applied before it replaced one).
    private static JobSpec.Txt2Img? Apply(JobSpec.Txt2Img spec, PlotAxis axis, int index)
    {
        var value = axis.Values[index];
        if (axis.Kind == PlotAxisKind.PromptOrder && Places(spec.Prompt, axis.Orders[0]).Problem is not null)
        {
            return null;
        }

        return axis.Kind switch
        {
            PlotAxisKind.Seed => spec with { Seed = long.Parse(value, CultureInfo.InvariantCulture) },
            PlotAxisKind.Steps => spec with { Steps = int.Parse(value, CultureInfo.InvariantCulture) },
            PlotAxisKind.Guidance => spec with { Guidance = float.Parse(value, CultureInfo.InvariantCulture) },
            PlotAxisKind.GuidanceRescale => spec with { GuidanceRescale = float.Parse(value, CultureInfo.InvariantCulture) },
            PlotAxisKind.Sampler => spec with { Scheduler = value },
            PlotAxisKind.Model => spec with { Model = value },
            PlotAxisKind.VariationSeed => spec with { VariationSeed = long.Parse(value, CultureInfo.InvariantCulture) },
            PlotAxisKind.VariationStrength => spec with { VariationStrength = float.Parse(value, CultureInfo.InvariantCulture) },
            PlotAxisKind.Size => spec with { Width = SizePresets.Parse(value).Width, Height = SizePresets.Parse(value).Height },
            PlotAxisKind.PromptReplace => spec with
            {
                Prompt = spec.Prompt.Replace(axis.Values[0], value, StringComparison.Ordinal),
                NegativePrompt = spec.NegativePrompt.Replace(axis.Values[0], value, StringComparison.Ordinal),
            },
            PlotAxisKind.PromptOrder => spec with { Prompt = Reordered(spec.Prompt, axis.Orders[0], axis.Orders[index]) },
            _ => throw new ArgumentOutOfRangeException(nameof(axis)),
        };
    }

    // Where each phrase stands in the prompt (its first place), in the prompt's order; or why they cannot be placed:
    // one missing, or two overlapping.
    private static (List<(int At, string Phrase)> Places, string? Problem) Places(string prompt, IReadOnlyList<string> phrases)
    {
        var places = new List<(int At, string Phrase)>();
        foreach (var phrase in phrases)
        {
            var at = prompt.IndexOf(phrase, StringComparison.Ordinal);
            if (at < 0)
            {
                return ([], $"Prompt order looks for \"{phrase}\" in the prompt, and it does not have it");
            }

            places.Add((at, phrase));
        }

        places.Sort((a, b) => a.At.CompareTo(b.At));
        for (var i = 1; i < places.Count; i++)
        {
            if (places[i].At < places[i - 1].At + places[i - 1].Phrase.Length)
            {
                return ([], $"Prompt order's \"{places[i - 1].Phrase}\" and \"{places[i].Phrase}\" overlap in the prompt: name phrases apart");
            }
        }

        return (places, null);
    }

    // The prompt with the phrases' places, in the prompt's order, taken by `order`'s phrases in turn.
    private static string Reordered(string prompt, IReadOnlyList<string> phrases, IReadOnlyList<string> order)
    {
        var places = Places(prompt, phrases).Places;
        var written = new System.Text.StringBuilder();
        var from = 0;
        for (var i = 0; i < places.Count; i++)
        {
            written.Append(prompt, from, places[i].At - from).Append(order[i]);
            from = places[i].At + places[i].Phrase.Length;
        }

        return written.Append(prompt, from, prompt.Length - from).ToString();
    }

    // A name among those there are, written as they write it whatever its case.
    private static IReadOnlyList<string>? Named(IReadOnlyList<string> names, string value) =>
        names.FirstOrDefault(name => string.Equals(name, value, StringComparison.OrdinalIgnoreCase)) is { } named ? [named] : null;

    // CSV as A1111 reads an axis: commas part values, double quotes keep a comma in one.
    private static List<string> Split(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        using var parser = new TextFieldParser(new StringReader(text)) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = true };
        parser.SetDelimiters(",");
        try
        {
            return [.. (parser.ReadFields() ?? []).Where(v => v.Length > 0)];
        }
        catch (MalformedLineException)
        {
            return [text.Trim()]; // an unclosed quote: the whole text is one value, refused by name if it cannot be read
        }
    }

    private static IReadOnlyList<string>? Whole(string value)
    {
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var one))
        {
            return [one.ToString(CultureInfo.InvariantCulture)];
        }

        if (Range().Match(value) is not { Success: true } range
            || !long.TryParse(range.Groups["from"].Value, CultureInfo.InvariantCulture, out var from)
            || !long.TryParse(range.Groups["to"].Value, CultureInfo.InvariantCulture, out var to))
        {
            return null;
        }

        if (range.Groups["count"].Success)
        {
            var count = int.Parse(range.Groups["count"].Value, CultureInfo.InvariantCulture);
            return count is < 1 or > MaxCells ? null
                : Enumerable.Range(0, count).Select(i => (count == 1 ? from : from + (long)Math.Round((to - from) * (double)i / (count - 1))).ToString(CultureInfo.InvariantCulture)).Distinct().ToList();
        }

        long step = 1;
        if (range.Groups["step"].Success && !long.TryParse(range.Groups["step"].Value, CultureInfo.InvariantCulture, out step))
        {
            return null; // a whole-number axis does not step by 0.5
        }

        return Stepped(from, to, step)?.Select(v => ((long)v).ToString(CultureInfo.InvariantCulture)).ToList();
    }

    private static IReadOnlyList<string>? Decimal(string value)
    {
        if (float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var one) && float.IsFinite(one))
        {
            return [Format(one)];
        }

        if (Range().Match(value) is not { Success: true } range
            || !double.TryParse(range.Groups["from"].Value, CultureInfo.InvariantCulture, out var from)
            || !double.TryParse(range.Groups["to"].Value, CultureInfo.InvariantCulture, out var to))
        {
            return null;
        }

        if (range.Groups["count"].Success)
        {
            var count = int.Parse(range.Groups["count"].Value, CultureInfo.InvariantCulture);
            return count is < 1 or > MaxCells ? null
                : Enumerable.Range(0, count).Select(i => Format((float)(count == 1 ? from : from + (to - from) * i / (count - 1)))).Distinct().ToList();
        }

        var step = range.Groups["step"].Success && double.TryParse(range.Groups["step"].Value, CultureInfo.InvariantCulture, out var given) ? given : 1;
        return Stepped(from, to, step)?.Select(v => Format((float)v)).ToList();
    }

    // From one end to the other in steps (a step of the wrong sign walks the other way); null past the cell limit.
    private static List<double>? Stepped(double from, double to, double step)
    {
        step = Math.Abs(step) * (to >= from ? 1 : -1);
        if (step == 0 || Math.Abs((to - from) / step) > MaxCells)
        {
            return null;
        }

        var values = new List<double>();
        for (var i = 0; ; i++)
        {
            var v = from + i * step;
            if (step > 0 ? v > to + 1e-9 : v < to - 1e-9)
            {
                return values;
            }

            values.Add(Math.Round(v, 6));
        }
    }

    private static string Format(float value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<from>\d+(\.\d+)?)\s*-\s*(?<to>\d+(\.\d+)?)\s*(\(\s*\+?\s*(?<step>\d+(\.\d+)?)\s*\)|\[\s*(?<count>\d+)\s*\])?$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Range();
}
