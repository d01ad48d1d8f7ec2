using System.Globalization;
using System.Text;

namespace WebStudio.ShapesWorld.Evaluation;

/// <summary>Per-category and overall accuracy; overall is the mean over categories, as in GenEval.</summary>
public sealed class EvaluationReport
{
    private readonly Dictionary<Category, (int Correct, int Total)> _tally = [];
    private readonly List<(EvalPrompt Prompt, EvalOutcome Outcome)> _results = [];

    public IReadOnlyList<(EvalPrompt Prompt, EvalOutcome Outcome)> Results => _results;

    public void Add(EvalPrompt prompt, EvalOutcome outcome)
    {
        _results.Add((prompt, outcome));
        var (correct, total) = _tally.GetValueOrDefault(prompt.Category);
        _tally[prompt.Category] = (correct + (outcome.Correct ? 1 : 0), total + 1);
    }

    /// <summary>Accuracy of each category that has results.</summary>
    public IReadOnlyDictionary<Category, double> PerCategory =>
        _tally.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key, kv => (double)kv.Value.Correct / kv.Value.Total);

    public double Overall => Mean(PerCategory.Values);

    /// <summary>The asked words' letters read in place, over every word prompt; null when none asked for a word.</summary>
    public double? LettersInPlace =>
        _results.Select(r => r.Outcome.Letters).OfType<LetterCount>().ToList() is { Count: > 0 } counts
            ? counts.Sum(c => c.Right) / (double)counts.Sum(c => c.Asked)
            : null;

    public double OverallWithoutLetters => Mean(PerCategory.Where(kv => kv.Key != Category.Letters).Select(kv => kv.Value));

    public string ToTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"category",-20} {"correct",8} {"total",6} {"accuracy",9}");
        foreach (var (category, (correct, total)) in _tally.OrderBy(kv => kv.Key))
            sb.AppendLine(CultureInfo.InvariantCulture, $"{category,-20} {correct,8} {total,6} {(double)correct / total,9:F3}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"overall",-20} {"",8} {_results.Count,6} {Overall,9:F3}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"overall (no letters)",-20} {"",8} {"",6} {OverallWithoutLetters,9:F3}");
        if (LettersInPlace is { } inPlace)
            sb.AppendLine(CultureInfo.InvariantCulture, $"{"words' letters",-20} {"",8} {"",6} {inPlace,9:F3}");
        return sb.ToString();
    }

    internal static double Mean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? 0 : list.Average();
    }
}
