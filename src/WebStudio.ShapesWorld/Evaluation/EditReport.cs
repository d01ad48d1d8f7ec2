using System.Globalization;
using System.Text;
using WebStudio.ShapesWorld.Editing;

namespace WebStudio.ShapesWorld.Evaluation;

/// <summary>Success and preservation rates per edit kind; the overall figures are means over kinds, as in <see cref="EvaluationReport"/>.</summary>
public sealed class EditReport
{
    private readonly Dictionary<EditKind, (int Success, int Preserved, int Total)> _tally = [];
    private readonly List<(EditCase Case, EditOutcome Outcome)> _results = [];

    public IReadOnlyList<(EditCase Case, EditOutcome Outcome)> Results => _results;

    public void Add(EditCase editCase, EditOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(editCase);
        ArgumentNullException.ThrowIfNull(outcome);
        _results.Add((editCase, outcome));
        var (success, preserved, total) = _tally.GetValueOrDefault(editCase.Kind);
        _tally[editCase.Kind] = (success + (outcome.Success ? 1 : 0), preserved + (outcome.Preserved ? 1 : 0), total + 1);
    }

    /// <summary>Share of cases whose change was found, for each kind that has results.</summary>
    public IReadOnlyDictionary<EditKind, double> SuccessPerKind => Rates(t => t.Success);

    /// <summary>Share of cases that kept everything else, for each kind that has results.</summary>
    public IReadOnlyDictionary<EditKind, double> PreservationPerKind => Rates(t => t.Preserved);

    public double Success => EvaluationReport.Mean(SuccessPerKind.Values);

    public double Preservation => EvaluationReport.Mean(PreservationPerKind.Values);

    public string ToTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"edit",-12} {"total",6} {"success",8} {"preserved",10}");
        foreach (var (kind, (success, preserved, total)) in _tally.OrderBy(kv => kv.Key))
            sb.AppendLine(CultureInfo.InvariantCulture, $"{kind,-12} {total,6} {(double)success / total,8:F3} {(double)preserved / total,10:F3}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"overall",-12} {_results.Count,6} {Success,8:F3} {Preservation,10:F3}");
        return sb.ToString();
    }

    private Dictionary<EditKind, double> Rates(Func<(int Success, int Preserved, int Total), int> count) =>
        _tally.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key, kv => (double)count(kv.Value) / kv.Value.Total);
}
