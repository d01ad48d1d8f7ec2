using System.Globalization;
using System.Text;
using WebStudio.Studio.Engine;

namespace WebStudio.Studio.Prompts;

// Reading a template into its parts: groups, picks, wildcards, and the problems with them.
public static partial class DynamicPrompts
{
    private sealed record Parsed(Sequence? Root, FieldProblem? Problem);

    private static Parsed Parse(string text, string field, string name, Wildcards? wildcards)
    {
        var parsed = new Dictionary<string, Node>(StringComparer.Ordinal);
        var variables = new Variables();
        var parser = new Parser(text, wildcards, [], parsed, variables);
        var root = parser.Sequence(inChoice: false);
        return parser.Problem is { } problem
            ? new Parsed(null, new FieldProblem(field, $"{name}: {problem}"))
            : BindOnce(text, field, name, wildcards, root, variables, parsed);
    }

    // A wildcard's options may name wildcards in turn, this deep at most.
    private const int MaxWildcardDepth = 10;

    // Without wildcards (null), __name__ is text, as it was before wildcards.
    // Each wildcard is read and parsed once per prompt (parsed), however often its name comes up.
    private sealed partial class Parser(string text, Wildcards? wildcards, IReadOnlyList<string> within, Dictionary<string, Node> parsed, Variables variables)
    {
        private int _at;

        public string? Problem { get; private set; }

        // Whether the problem already names the wildcard it is in, so that an enclosing wildcard passes it on as it is.
        private bool _named;

        private void Named(string problem)
        {
            _named |= Problem is null;
            Problem ??= problem;
        }

        // Text and groups up to the end, or, inside a group, up to its next | or } (not one inside A1111's [ ]).
        public Sequence Sequence(bool inChoice)
        {
            var parts = new List<Node>();
            var literal = new StringBuilder();
            var brackets = 0;
            while (_at < text.Length)
            {
                var c = text[_at];
                if (c == '\\' && _at + 1 < text.Length)
                {
                    literal.Append(c).Append(text[_at + 1]);
                    _at += 2;
                    continue;
                }

                if (c == '$' && _at + 1 < text.Length && text[_at + 1] == '{' && Variable() is { } variable)
                {
                    Flush(parts, literal);
                    parts.Add(variable);
                    continue;
                }

                if (c == '{')
                {
                    Flush(parts, literal);
                    parts.Add(Group());
                    continue;
                }

                if (c == '_' && WildcardName() is { } name)
                {
                    Flush(parts, literal);
                    parts.Add(Wildcard(name));
                    continue;
                }

                if (inChoice && brackets == 0 && c is '|' or '}')
                {
                    break;
                }

                brackets += c == '[' ? 1 : c == ']' && brackets > 0 ? -1 : 0;
                literal.Append(c);
                _at++;
            }

            Flush(parts, literal);
            return new Sequence(parts);
        }

        private Node Group()
        {
            var start = _at++;
            var bounds = Bounds();
            var firstWeight = _at;
            var weights = new List<double?> { Weight() };
            var afterFirstWeight = _at;
            var options = new List<Sequence> { Sequence(inChoice: true) };
            while (_at < text.Length && text[_at] == '|')
            {
                _at++;
                weights.Add(Weight());
                options.Add(Sequence(inChoice: true));
            }

            var closed = _at < text.Length;
            _at += closed ? 1 : 0;
            if (options.Count == 1 && bounds is null)
            {
                // No choice: the braces (and what looked like a weight) are text, as a style's {prompt} is.
                return new Sequence([new Text("{" + text[firstWeight..afterFirstWeight]), options[0], .. closed ? new[] { new Text("}") } : []]);
            }

            if (!closed)
            {
                Problem ??= $"the {{ at character {start + 1} has no closing }}";
            }
            else if (bounds is null && options[0].Parts is [Text first, ..] && first.Value.Contains("$$", StringComparison.Ordinal))
            {
                Problem ??= $"the {{…$$ at character {start + 1} needs how many options to take before its $$: a number ({{2$$a|b|c}}) or a range ({{1-3$$a|b|c}})";
            }

            var weighed = weights.Any(w => w is not null) ? weights.Select(w => w ?? 1).ToList() : null;
            if (bounds is null)
            {
                return new Choice(options) { Weights = weighed };
            }

            var (low, high, separator) = bounds.Value;

            // {2$$__colors__} takes two of the wildcard's lines, as sd-dynamic-prompts does.
            if (options is [{ Parts: [Choice { Wildcard: not null } lines] }])
            {
                options = [.. lines.Options];
                weighed = null;
            }

            // As sd-dynamic-prompts bounds them: in order, and no more than there are options.
            (low, high) = (Math.Min(low, high), Math.Max(low, high));
            high = Math.Min(high, options.Count);
            if (high > MaxTaken)
            {
                Problem ??= $"the {{…$$ at character {start + 1} takes up to {high} options at once, and at most {MaxTaken} can be: bound it, as {{1-3$$…}} does";
            }

            return new Pick(options, Math.Min(low, high), high, separator) { Weights = weighed };
        }

        // sd-dynamic-prompts' weight before an option ({0.5::summer|0.1::autumn}): read past, or null (and nothing
        // read). Weights steer the random draw; every combination is every combination, whatever its weight.
        private double? Weight()
        {
            var at = _at;
            while (at < text.Length && (char.IsAsciiDigit(text[at]) || text[at] == '.'))
            {
                at++;
            }

            if (at == _at || !text.AsSpan(at).StartsWith("::", StringComparison.Ordinal)
                || !double.TryParse(text.AsSpan(_at, at - _at), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var weight))
            {
                return null;
            }

            if (weight <= 0 || !double.IsFinite(weight))
            {
                Problem ??= $"the weight {text[_at..at]} at character {_at + 1} must be more than 0: to leave an option out, take it out";
            }

            _at = at + 2;
            return weight;
        }

        // The start of sd-dynamic-prompts' {2$$…}, {1-3$$…}, {-2$$…} (from 1) or {2-$$…} (to every option), with its
        // own separator where one follows ({2$$ and $$…}; ", " otherwise): read past, or null (and nothing read).
        private (int Low, int High, string Separator)? Bounds()
        {
            var at = _at;
            var low = Digits(ref at);
            var ranged = at < text.Length && text[at] == '-';
            at += ranged ? 1 : 0;
            var high = ranged ? Digits(ref at) : low;
            if ((low is null && !ranged) || !text.AsSpan(at).StartsWith("$$", StringComparison.Ordinal))
            {
                return null;
            }

            at += 2;
            var separator = ", ";
            var end = text.IndexOfAny(['|', '}', '{'], at);
            var next = text.IndexOf("$$", at, StringComparison.Ordinal);
            if (next >= 0 && (end < 0 || next < end))
            {
                separator = text[at..next];
                at = next + 2;
            }

            _at = at;
            return (low ?? 1, high ?? int.MaxValue, separator);
        }

        private int? Digits(ref int at)
        {
            var from = at;
            while (at < text.Length && char.IsAsciiDigit(text[at]))
            {
                at++;
            }

            return at == from ? null : int.TryParse(text.AsSpan(from, at - from), out var value) ? value : int.MaxValue;
        }

        // The name of a wildcard __name__ starting here, or null where the underscores are text.
        private string? WildcardName()
        {
            if (wildcards is null || !text.AsSpan(_at).StartsWith("__", StringComparison.Ordinal))
            {
                return null;
            }

            var close = text.IndexOf("__", _at + 2, StringComparison.Ordinal);
            return close > _at + 2 && Wildcards.IsPattern(text[(_at + 2)..close]) ? text[(_at + 2)..close] : null;
        }

        private Node Wildcard(string name)
        {
            var start = _at;
            _at += name.Length + 4;
            if (parsed.TryGetValue(name, out var known))
            {
                return known;
            }

            if (within.Contains(name) || within.Count == MaxWildcardDepth)
            {
                Named(within.Contains(name)
                    ? $"the wildcard __{name}__ takes itself in ({string.Join(" → ", within.Append(name).Select(n => $"__{n}__"))})"
                    : $"the wildcards nest more than {MaxWildcardDepth} deep ({string.Join(" → ", within.Select(n => $"__{n}__"))})");
                return new Text("");
            }

            IReadOnlyList<WildcardOption>? lines;
            try
            {
                lines = wildcards!.Options(name);
            }
            catch (WildcardException e)
            {
                Named(e.Message);
                return new Text("");
            }

            if (lines is null || lines.Count == 0)
            {
                var names = wildcards.Names();
                var (file, missing) = name.Contains('*') ? ("the files it matches have", "no wildcard matches") : ("its file has", "there is no wildcard");
                Named(lines is not null ? $"the wildcard __{name}__ has no options: {file} no line of text"
                    : names.Count == 0 ? $"{missing} __{name}__ (at character {start + 1}), {(name.Contains('*') ? "for there are none" : "nor any other")}: an administrator adds them as text files, an option a line"
                    : $"{missing} __{name}__ (at character {start + 1}); there are {string.Join(", ", names.Take(12).Select(n => $"__{n}__"))}{(names.Count > 12 ? "…" : "")}");
                return new Text("");
            }

            var options = new List<Sequence>(lines.Count);
            foreach (var line in lines)
            {
                var parser = new Parser(line.Text, wildcards, [.. within, name], parsed, variables);
                options.Add(parser.Sequence(inChoice: false));
                if (parser.Problem is { } problem)
                {
                    Named(parser._named ? problem : $"the wildcard __{name}__'s option \"{line.Text}\": {problem}");
                }
            }

            // A collection's weights steer the random draw, as a group's do.
            var weights = lines.Any(line => line.Weight != 1) ? lines.Select(line => line.Weight).ToList() : null;
            return parsed[name] = new Choice(options) { Wildcard = name, Weights = weights };
        }

        private static void Flush(List<Node> parts, StringBuilder literal)
        {
            if (literal.Length > 0)
            {
                parts.Add(new Text(literal.ToString()));
                literal.Clear();
            }
        }
    }
}
