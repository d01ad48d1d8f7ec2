using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace WebStudio.Generation.Text;

/// <summary>The prompt text to use up to and including step index <see cref="EndAtStep"/> (A1111 counts the same way).</summary>
public sealed record ScheduledPrompt(int EndAtStep, string Text);

/// <summary>
/// A1111's prompt editing, read before the attention syntax: "[from:to:when]" uses <c>from</c> until step
/// <c>when</c> and <c>to</c> after it, "[to:when]" adds text after, "[from::when]" removes it after, and
/// "[a|b|c]" alternates every step. <c>when</c> with a decimal point is a fraction of the steps (0.5 = half way),
/// without one a step number. Everything else, "[word]" and "(word:1.2)" included, is kept as it is written for
/// <see cref="PromptAttentionParser"/>; a bracket left open is plain text, as it is in A1111.
/// </summary>
public static partial class PromptSchedule
{
    /// <summary>The texts of <paramref name="prompt"/> over <paramref name="steps"/> steps, in step order; a prompt
    /// without editing gives one entry, itself. Any text parses.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below one.</exception>
    public static IReadOnlyList<ScheduledPrompt> Build(string prompt, int steps)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        var parser = new Parser(prompt);
        var tree = parser.Parse();
        if (parser.GaveUp)
        {
            tree = [new Plain(prompt)];
        }

        var ends = new SortedSet<int> { steps };
        CollectEnds(tree, steps, ends);

        var schedule = new List<ScheduledPrompt>();
        foreach (var end in ends)
        {
            var text = Render(tree, end, steps);
            if (schedule.Count > 0 && schedule[^1].Text == text)
            {
                schedule[^1] = schedule[^1] with { EndAtStep = end };
            }
            else
            {
                schedule.Add(new ScheduledPrompt(end, text));
            }
        }

        return schedule;
    }

    /// <summary>The entry that step <paramref name="stepIndex"/> (0-based) uses: the first that ends at or after it.</summary>
    public static string TextAt(IReadOnlyList<ScheduledPrompt> schedule, int stepIndex)
    {
        foreach (var entry in schedule)
        {
            if (stepIndex <= entry.EndAtStep)
            {
                return entry.Text;
            }
        }

        return schedule[^1].Text;
    }

    private static void CollectEnds(IReadOnlyList<Node> nodes, int steps, SortedSet<int> ends)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case Scheduled scheduled:
                    if (scheduled.When(steps) is var when and >= 1)
                    {
                        ends.Add(when);
                    }

                    CollectEnds(scheduled.Before, steps, ends);
                    CollectEnds(scheduled.After, steps, ends);
                    break;
                case Alternate alternate:
                    for (var step = 1; step <= steps; step++)
                    {
                        ends.Add(step);
                    }

                    foreach (var option in alternate.Options)
                    {
                        CollectEnds(option, steps, ends);
                    }

                    break;
            }
        }
    }

    // step is 1-based here, as in A1111's at_step.
    private static string Render(IReadOnlyList<Node> nodes, int step, int steps)
    {
        var text = new StringBuilder();
        foreach (var node in nodes)
        {
            text.Append(node switch
            {
                Plain plain => plain.Text,
                Scheduled scheduled => Render(step <= scheduled.When(steps) ? scheduled.Before : scheduled.After, step, steps),
                Alternate alternate => Render(alternate.Options[(step - 1) % alternate.Options.Count], step, steps),
                _ => throw new InvalidOperationException(node.GetType().Name),
            });
        }

        return text.ToString();
    }

    private abstract record Node;

    private sealed record Plain(string Text) : Node;

    private sealed record Scheduled(IReadOnlyList<Node> Before, IReadOnlyList<Node> After, double Value, bool IsFraction) : Node
    {
        public int When(int steps) => Math.Min(steps, (int)(IsFraction ? Value * steps : Value));
    }

    private sealed record Alternate(IReadOnlyList<IReadOnlyList<Node>> Options) : Node;

    /// <summary>Recursive descent over the text. A bracket that never closes is remembered, so it is scanned once by
    /// itself, but the brackets around it read its text again: open brackets inside open brackets cost time quadratic
    /// in their number, and nesting costs stack. Past <see cref="MaxDepth"/> levels or a budget of work linear in the
    /// text, the parser gives up and the prompt is plain text (no editing), so that any input parses in linear time.</summary>
    private sealed class Parser(string text)
    {
        private const int MaxDepth = 64;
        private readonly HashSet<int> _unclosed = [];
        private readonly long _budget = 32L * text.Length + 4096;
        private long _work;
        private int _depth;
        private int _position;

        public bool GaveUp { get; private set; }

        public IReadOnlyList<Node> Parse()
        {
            var nodes = Sequence(inBracket: false, inParenthesis: false);
            while (_position < text.Length && !GaveUp)
            {
                // A closer with no opener at the top level is text.
                nodes.Add(new Plain(text[_position++].ToString()));
                nodes.AddRange(Sequence(inBracket: false, inParenthesis: false));
            }

            return nodes;
        }

        private List<Node> Sequence(bool inBracket, bool inParenthesis)
        {
            var nodes = new List<Node>();
            var plain = new StringBuilder();
            void Flush()
            {
                if (plain.Length > 0)
                {
                    nodes.Add(new Plain(plain.ToString()));
                    plain.Clear();
                }
            }

            while (_position < text.Length && !GaveUp)
            {
                if (++_work > _budget)
                {
                    GaveUp = true;
                    break;
                }

                var c = text[_position];
                if (c == '\\' && _position + 1 < text.Length)
                {
                    plain.Append(c).Append(text[_position + 1]); // escapes stay for the attention parser
                    _position += 2;
                }
                else if (c is '[' or '(' && !_unclosed.Contains(_position))
                {
                    Flush();
                    nodes.AddRange(Nested(c == '[' ? Bracket : Parenthesis));
                }
                else if ((inBracket && c is ']' or ':' or '|') || (inParenthesis && c == ')') || (!inBracket && !inParenthesis && c is ']' or ')'))
                {
                    break;
                }
                else
                {
                    plain.Append(c);
                    _position++;
                }
            }

            Flush();
            return nodes;
        }

        private IReadOnlyList<Node> Nested(Func<IReadOnlyList<Node>> construct)
        {
            if (_depth == MaxDepth)
            {
                GaveUp = true;
                return [];
            }

            _depth++;
            try
            {
                return construct();
            }
            finally
            {
                _depth--;
            }
        }

        private IReadOnlyList<Node> Parenthesis()
        {
            var start = _position++;
            var inner = Sequence(inBracket: false, inParenthesis: true);
            if (_position >= text.Length || GaveUp)
            {
                return Unclosed(start);
            }

            _position++; // ')'
            return [new Plain("("), .. inner, new Plain(")")];
        }

        private IReadOnlyList<Node> Bracket()
        {
            var start = _position++;
            var parts = new List<List<Node>>();
            var separators = new StringBuilder();
            while (true)
            {
                parts.Add(Sequence(inBracket: true, inParenthesis: false));
                if (_position >= text.Length || GaveUp)
                {
                    return Unclosed(start);
                }

                var c = text[_position++];
                if (c == ']')
                {
                    break;
                }

                separators.Append(c);
            }

            var marks = separators.ToString();
            if (marks.Length > 0 && marks.All(m => m == '|'))
            {
                return [new Alternate(parts)];
            }

            if (marks is ":" or "::" && parts[^1] is [Plain { Text: var number }] && TryStep(number, out var value, out var fraction))
            {
                return marks == "::"
                    ? [new Scheduled(parts[0], parts[1], value, fraction)]
                    : [new Scheduled([], parts[0], value, fraction)];
            }

            // Emphasis ("[word]") or text that merely holds brackets: as written, with any editing inside it applied.
            var nodes = new List<Node> { new Plain("[") };
            for (var i = 0; i < parts.Count; i++)
            {
                nodes.AddRange(parts[i]);
                if (i < marks.Length)
                {
                    nodes.Add(new Plain(marks[i].ToString()));
                }
            }

            nodes.Add(new Plain("]"));
            return nodes;
        }

        private IReadOnlyList<Node> Unclosed(int start)
        {
            _unclosed.Add(start);
            _position = start;
            return [];
        }

        // A1111's SIGNED_NUMBER: "10", "0.5", ".5", "-1", "1e3"; a decimal point makes it a fraction of the steps.
        private static bool TryStep(string text, out double value, out bool fraction)
        {
            var trimmed = text.Trim();
            fraction = trimmed.Contains('.');
            value = 0;
            return Number().IsMatch(trimmed) && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    [GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", RegexOptions.NonBacktracking)]
    private static partial Regex Number();
}
