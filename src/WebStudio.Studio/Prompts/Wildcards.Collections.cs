using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WebStudio.Studio.Prompts;

// sd-dynamic-prompts' collections: a .json or .yaml file whose lists are wildcards, each named by the file's folder and
// the keys above it (artists: {finnish: […]} in styles/pack.yaml is __styles/artists/finnish__; a file that is one list
// is named by the file). An option may carry a weight: "3::red", or {text: red, weight: 3}. Values that are not text
// (numbers, true, null) are left out, as sd-dynamic-prompts leaves them.
public sealed partial class Wildcards
{
    private readonly ConcurrentDictionary<string, (DateTime Written, long Length, Collection Read)> _collections = new(StringComparer.Ordinal);

    // One collection file's wildcards, or why it cannot be read.
    private sealed record Collection(IReadOnlyList<(string Name, IReadOnlyList<WildcardOption> Options)> Wildcards, string? Problem);

    // Every collection's wildcards by name (the first file's, where two name one), and the files that cannot be read,
    // with the prefix their names would have.
    private sealed record Collections(Dictionary<string, IReadOnlyList<WildcardOption>> Wildcards, IReadOnlyList<(string Prefix, string File, string Reason)> Unread);

    // A value of a collection that is not text: left out.
    private static readonly object NotText = new();

    // The last look through the folder's collections: a template reads its wildcards many times over (once per binding
    // of its variables), and the form reads it at every key press, so a look serves for a moment.
    private volatile Look? _looked;

    private static readonly TimeSpan LookServes = TimeSpan.FromSeconds(2);

    private Collections Structured()
    {
        if (_looked is { } looked && Stopwatch.GetElapsedTime(looked.At) < LookServes)
        {
            return looked.Found;
        }

        var found = LookThrough();
        _looked = new Look(Stopwatch.GetTimestamp(), found);
        return found;
    }

    private sealed record Look(long At, Collections Found);

    private Collections LookThrough()
    {
        var wildcards = new Dictionary<string, IReadOnlyList<WildcardOption>>(StringComparer.Ordinal);
        var unread = new List<(string, string, string)>();
        if (folder == "" || !Directory.Exists(folder))
        {
            return new Collections(wildcards, unread);
        }

        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var extension = Path.GetExtension(path);
            var relative = Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
            if (extension is not (".json" or ".yaml") || !IsName(relative))
            {
                continue;
            }

            var prefix = relative.Contains('/') ? relative[..(relative.LastIndexOf('/') + 1)] : "";
            var read = Read(path);
            if (read.Problem is { } problem)
            {
                unread.Add((prefix, relative, problem));
                continue;
            }

            foreach (var (name, options) in read.Wildcards)
            {
                wildcards.TryAdd(prefix + name, options);
            }
        }

        return new Collections(wildcards, unread);
    }

    // A collection file, read again only when it changes.
    private Collection Read(string path)
    {
        var file = new FileInfo(path);
        if (_collections.TryGetValue(path, out var known) && known.Written == file.LastWriteTimeUtc && known.Length == file.Length)
        {
            return known.Read;
        }

        Collection read;
        if (file.Length > MaxFileBytes)
        {
            read = new Collection([], $"it is a file of {file.Length:N0} bytes, more than the {MaxFileBytes:N0} a wildcard may be");
        }
        else
        {
            try
            {
                var text = File.ReadAllText(path);
                var root = file.Extension == ".json" ? FromJson(text) : FromYaml(text);
                read = new Collection(root switch
                {
                    Dictionary<string, object> keys => [.. Lists(keys, "")],
                    List<object> list => [(Path.GetFileNameWithoutExtension(path), Items(list))],
                    _ => [],
                }, null);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or YamlException)
            {
                read = new Collection([], e.Message.TrimEnd('.', ' '));
            }
        }

        _collections[path] = (file.LastWriteTimeUtc, file.Length, read);
        return read;
    }

    // The lists under a level of keys, each named by the keys down to it; a lone text is a list of one.
    private static IEnumerable<(string Name, IReadOnlyList<WildcardOption> Options)> Lists(Dictionary<string, object> keys, string prefix)
    {
        foreach (var (key, value) in keys)
        {
            var name = prefix + key;
            switch (value)
            {
                case string text:
                    yield return (name, Items([text]));
                    break;
                case List<object> list when Items(list) is { Count: > 0 } options:
                    yield return (name, options);
                    break;
                case Dictionary<string, object> inner:
                    foreach (var nested in Lists(inner, name + "/"))
                    {
                        yield return nested;
                    }

                    break;
            }
        }
    }

    // A list's options: texts ("3::red" weighs 3) and {text|content, weight} maps.
    private static IReadOnlyList<WildcardOption> Items(List<object> list)
    {
        var options = new List<WildcardOption>();
        foreach (var item in list)
        {
            var option = item switch
            {
                string text => Weighed(text.Trim()),
                Dictionary<string, object> map when (map.GetValueOrDefault("text") ?? map.GetValueOrDefault("content")) is string text =>
                    new WildcardOption(text.Trim(), map.GetValueOrDefault("weight") is Number { Text: var written } && Weight(written) is { } weight ? weight : 1),
                _ => null,
            };
            if (option is { Text.Length: > 0 })
            {
                options.Add(option);
            }
        }

        return options;
    }

    private static WildcardOption Weighed(string text)
    {
        var split = text.LastIndexOf("::", StringComparison.Ordinal);
        return text.Length > 0 && char.IsAsciiDigit(text[0]) && split > 0 && Weight(text[..split]) is { } weight
            ? new WildcardOption(text[(split + 2)..].Trim(), weight)
            : new WildcardOption(text, 1);
    }

    private static double? Weight(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) && weight > 0 && double.IsFinite(weight) ? weight : null;

    // JSON as maps, lists and texts (numbers written as text, for a weight; other values are not text).
    private static object FromJson(string text)
    {
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return Json(document.RootElement);

        static object Json(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => Json(p.Value), StringComparer.Ordinal),
            JsonValueKind.Array => element.EnumerateArray().Select(Json).ToList(),
            JsonValueKind.String => element.GetString()!,
            JsonValueKind.Number => new Number(element.GetRawText()),
            _ => NotText,
        };
    }

    // YAML as maps, lists and texts: a plain scalar that YAML reads as a number, a boolean or null is not text.
    private static object FromYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? NotText : Yaml(stream.Documents[0].RootNode);

        static object Yaml(YamlNode node) => node switch
        {
            YamlMappingNode map => map.Children
                .Where(pair => pair.Key is YamlScalarNode key && Yaml(key) is string)
                .GroupBy(pair => ((YamlScalarNode)pair.Key).Value!, StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => Yaml(group.Last().Value), StringComparer.Ordinal),
            YamlSequenceNode list => list.Children.Select(Yaml).ToList(),
            YamlScalarNode { Style: ScalarStyle.Plain, Value: var value } when IsYamlNumber(value) => new Number(value!),
            YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" or "true" or "True" or "TRUE" or "false" or "False" or "FALSE" } => NotText,
            YamlScalarNode scalar => scalar.Value ?? "",
            _ => NotText,
        };
    }

    private static bool IsYamlNumber(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    // A number in a collection: not an option, but a weight's value.
    private sealed record Number(string Text);
}
