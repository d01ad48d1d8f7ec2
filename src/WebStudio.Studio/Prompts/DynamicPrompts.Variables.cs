using System.Numerics;
using WebStudio.Studio.Engine;

namespace WebStudio.Studio.Prompts;

// sd-dynamic-prompts' variables: ${name=value} sets one and writes nothing; ${name} (or ${name:default}, where it may
// be unset) writes it. A value set so is written afresh at each use, as if typed there: ${c={red|blue}} a ${c} circle
// and a ${c} star makes four prompts. One set with ${name=!value} is chosen once per prompt and written the same at
// each use: ${c=!{red|blue}} makes two, "a red circle and a red star" and "a blue circle and a blue star".
public static partial class DynamicPrompts
{
    // The most prompts a template's ${name=!…} values may make together: the template is read once for each.
    private const int MaxBoundValues = MaxPrompts;

    // The variables one template sets, shared by the parsers of its wildcards and values; and the values that this
    // reading binds its ${name=!…} settings to (none on the first reading, which finds them). Each ${name=!…} is a
    // setting of its own, numbered in the order the readings meet them, so that one set again takes its new value
    // from there on.
    private sealed class Variables(IReadOnlyDictionary<int, string>? bound = null)
    {
        // A variable's value, and for one set with =! the number of that setting.
        public Dictionary<string, (string Value, int? Once)> Set { get; } = new(StringComparer.Ordinal);

        // The ${name=!…} settings met so far in this reading.
        public int OnceSettings { get; set; }

        // On the first reading: the ${name=!…} settings, by number, with their values' text; and the numbers of those
        // that something writes, as only those make a prompt differ.
        public List<(string Name, string Value, int At)> Once { get; } = [];

        public HashSet<int> Written { get; } = [];

        public IReadOnlyDictionary<int, string>? Bound => bound;

        // The variables whose values are being read, so that a value that names its own variable is stopped.
        public HashSet<string> Reading { get; } = new(StringComparer.Ordinal);
    }

    // Reads the template again for each way of binding its ${name=!…} variables, and makes their readings the options
    // of one choice; or the template as read where it has none.
    private static Parsed BindOnce(string text, string field, string name, Wildcards? wildcards, Sequence root, Variables found,
        Dictionary<string, Node> parsed)
    {
        if (found.Once.Count == 0)
        {
            return new Parsed(root, null);
        }

        // Only the settings that something writes are bound: one set and never written would make copies of the same prompts.
        var values = new List<(int Setting, Sequence Node)>(found.Once.Count);
        foreach (var (setting, (variable, value, at)) in found.Once.ToList().Index())
        {
            var parser = new Parser(value, wildcards, [], parsed, found);
            var node = parser.Sequence(inChoice: false);
            if (parser.Problem is { } problem)
            {
                return new Parsed(null, new FieldProblem(field, $"{name}: the variable ${{{variable}}} set at character {at + 1}: {problem}"));
            }

            values.Add((setting, node));
        }

        values.RemoveAll(value => !found.Written.Contains(value.Setting));
        if (values.Count == 0)
        {
            return new Parsed(root, null);
        }

        var count = values.Aggregate(BigInteger.One, (product, value) => product * Count(value.Node));
        if (count > MaxBoundValues)
        {
            return new Parsed(null, new FieldProblem(field,
                $"{name}: the ${{…=!…}} variables' values make {Counted(count)} ways to bind them, and at most {MaxBoundValues} can be read: " +
                "take out some choices, or set them with = alone, to choose anew at each use"));
        }

        var ways = new List<Dictionary<int, string>> { new() };
        foreach (var (setting, node) in values)
        {
            var texts = Expand(node).ToList();
            ways = [.. ways.SelectMany(way => texts.Select(text => new Dictionary<int, string>(way) { [setting] = text }))];
        }

        var readings = new List<Sequence>(ways.Count);
        foreach (var way in ways)
        {
            // Each reading reads its wildcards afresh: a wildcard's lines may write a bound variable.
            var parser = new Parser(text, wildcards, [], new Dictionary<string, Node>(StringComparer.Ordinal), new Variables(way));
            readings.Add(parser.Sequence(inChoice: false));
        }

        return new Parsed(readings.Count == 1 ? readings[0] : new Sequence([new Choice(readings)]), null);
    }

    private sealed partial class Parser
    {
        // ${name=value}, ${name=!value}, ${name} or ${name:default} starting here; null (and nothing read) where the
        // $ is text: not followed by {, a name and one of = : }.
        private Node? Variable()
        {
            var start = _at;
            var at = _at + 2;
            while (at < text.Length && (char.IsLetterOrDigit(text[at]) || text[at] == '_'))
            {
                at++;
            }

            if (at == start + 2 || at >= text.Length || text[at] is not ('=' or ':' or '}'))
            {
                return null;
            }

            var name = text[(start + 2)..at];
            if (text[at] == '}')
            {
                _at = at + 1;
                return Reference(name, null, start);
            }

            var kind = text[at];
            var once = kind == '=' && at + 1 < text.Length && text[at + 1] == '!';
            var valueStart = at + (once ? 2 : 1);
            var end = Closing(valueStart);
            if (end < 0)
            {
                Problem ??= $"the ${{ at character {start + 1} has no closing }}";
                _at = text.Length;
                return new Text("");
            }

            _at = end + 1;
            var value = text[valueStart..end];
            if (kind == ':')
            {
                return Reference(name, value, start);
            }

            // A setting that stands alone ("${c=red} a ${c} circle") takes the space after it away too.
            if (start == 0 || char.IsWhiteSpace(text[start - 1]))
            {
                while (_at < text.Length && char.IsWhiteSpace(text[_at]))
                {
                    _at++;
                }
            }

            // A later setting replaces an earlier one, from where it stands on.
            variables.Set[name] = (value, once ? variables.OnceSettings++ : null);
            if (once && variables.Bound is null)
            {
                variables.Once.Add((name, value, start));
            }

            return new Text("");
        }

        // What ${name} writes: its value read as a template, or its bound text; the default where it is unset.
        private Node Reference(string name, string? fallback, int start)
        {
            if (!variables.Set.TryGetValue(name, out var set))
            {
                if (fallback is null)
                {
                    Problem ??= $"the variable ${{{name}}} at character {start + 1} is used before it is set: set it first, as ${{{name}={{red|blue}}}} does, or give a default, as ${{{name}:red}} does";
                    return new Text("");
                }

                set = (fallback, null);
            }

            if (set.Once is { } setting)
            {
                // The first reading, which finds the ${name=!…} settings, writes nothing for them.
                if (variables.Bound is null)
                {
                    variables.Written.Add(setting);
                }

                return new Text(variables.Bound?.GetValueOrDefault(setting) ?? "");
            }

            if (!variables.Reading.Add(name))
            {
                Problem ??= $"the variable ${{{name}}} takes itself in";
                return new Text("");
            }

            var parser = new Parser(set.Value, wildcards, within, parsed, variables);
            var node = parser.Sequence(inChoice: false);
            variables.Reading.Remove(name);
            if (parser.Problem is { } problem)
            {
                // Its places are the value's: say whose.
                Named($"the variable ${{{name}}}'s value \"{set.Value}\": {problem}");
            }

            return node;
        }

        // The } that closes a ${ whose value starts at from (groups in the value nest), or -1.
        private int Closing(int from)
        {
            var depth = 1;
            for (var at = from; at < text.Length; at++)
            {
                switch (text[at])
                {
                    case '\\':
                        at++;
                        break;
                    case '{':
                        depth++;
                        break;
                    case '}' when --depth == 0:
                        return at;
                }
            }

            return -1;
        }
    }
}
