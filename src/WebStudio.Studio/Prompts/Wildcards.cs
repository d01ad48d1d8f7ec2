using System.Collections.Concurrent;
using System.IO.Enumeration;

namespace WebStudio.Studio.Prompts;

/// <summary>
/// sd-dynamic-prompts' wildcards: the text files of one folder, each line an option of the wildcard named by the file's
/// path without <c>.txt</c> (<c>colors.txt</c> is <c>__colors__</c>, <c>animals/cats.txt</c> is
/// <c>__animals/cats__</c>). Blank lines and lines starting with <c>#</c> are left out. Files are read when they
/// change, not at every key press of the form that counts a prompt's combinations. A name with <c>*</c> stands for every
/// wildcard it matches, as sd-dynamic-prompts' globbing does: <c>__colors*__</c> is the lines of <c>colors-warm.txt</c>
/// and <c>colors-cold.txt</c>, and <c>__animals/*__</c> those of every file under <c>animals/</c>. A <c>.json</c> or
/// <c>.yaml</c> file holds a collection of them (Wildcards.Collections.cs).
/// </summary>
public sealed partial class Wildcards(string folder)
{
    /// <summary>The largest wildcard file read: a list of options, not a corpus.</summary>
    public const long MaxFileBytes = 1 << 20;

    private readonly ConcurrentDictionary<string, (DateTime Written, long Length, IReadOnlyList<string> Lines)> _read = new(StringComparer.Ordinal);

    /// <summary>No wildcards at all, for a caller that has none to offer.</summary>
    public static Wildcards None { get; } = new("");

    public string Folder => folder;

    /// <summary>The wildcards there are, by name, in order.</summary>
    public IReadOnlyList<string> Names()
    {
        if (folder == "" || !Directory.Exists(folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(folder, "*.txt", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(folder, path)[..^4].Replace(Path.DirectorySeparatorChar, '/'))
            .Concat(Structured().Wildcards.Keys)
            .Where(IsName)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The options of the wildcard <paramref name="name"/> with their weights (1 but where a collection file
    /// writes one), or null where there is no such wildcard (or the name could leave the folder);
    /// <see cref="WildcardException"/> for a file too large or that cannot be read.</summary>
    public IReadOnlyList<WildcardOption>? Options(string name)
    {
        if (folder == "" || !IsPattern(name))
        {
            return null;
        }

        if (name.Contains('*'))
        {
            var matched = Names().Where(known => FileSystemName.MatchesSimpleExpression(name, known, ignoreCase: false)).ToList();
            return matched.Count == 0 ? null : [.. matched.SelectMany(known => Options(known) ?? [])];
        }

        if (TextLines(name) is { } lines)
        {
            return [.. lines.Select(line => new WildcardOption(line, 1))];
        }

        var structured = Structured();
        if (structured.Wildcards.TryGetValue(name, out var options))
        {
            return options;
        }

        // A collection that cannot be read may be where the name was meant to be: say so rather than only that it is missing.
        if (structured.Unread.FirstOrDefault(unread => name.StartsWith(unread.Prefix, StringComparison.Ordinal)) is { File: not null } broken)
        {
            throw new WildcardException($"there is no wildcard __{name}__, and the collection {broken.File} cannot be read: {broken.Reason}");
        }

        return null;
    }

    // The lines of name.txt, or null where there is no such file.
    private IReadOnlyList<string>? TextLines(string name)
    {
        var file = new FileInfo(Path.Combine(folder, name.Replace('/', Path.DirectorySeparatorChar) + ".txt"));
        if (!file.Exists)
        {
            return null;
        }

        if (file.Length > MaxFileBytes)
        {
            throw new WildcardException($"the wildcard __{name}__ is a file of {file.Length:N0} bytes, more than the {MaxFileBytes:N0} a wildcard may be");
        }

        if (_read.TryGetValue(name, out var known) && known.Written == file.LastWriteTimeUtc && known.Length == file.Length)
        {
            return known.Lines;
        }

        List<string> lines;
        try
        {
            lines = File.ReadLines(file.FullName)
                .Select(line => line.Trim())
                .Where(line => line.Length > 0 && !line.StartsWith('#'))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WildcardException($"the wildcard __{name}__ cannot be read: {e.Message}");
        }

        _read[name] = (file.LastWriteTimeUtc, file.Length, lines);
        return lines;
    }

    // Letters, digits, _, -, . and space, in parts split by /: never .., an absolute path or a hidden file. Not _ at
    // either end, so that the underscores of hair___colors__ are read as text and then __colors__.
    internal static bool IsName(string name) =>
        name.Length is > 0 and <= 100 && name[0] != '_' && name[^1] != '_' && name.Split('/').All(part =>
            part.Length > 0 && !part.StartsWith('.') && part.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or ' ' or '.') && !part.Contains(".."));

    // A name, or one with * in it (a * part, as in __animals/*__, too), which only ever matches names.
    internal static bool IsPattern(string name) => IsName(name.Replace('*', 'x'));
}

/// <summary>One option of a wildcard, and how likely a random draw takes it against the others (sd-dynamic-prompts'
/// weights, which only collection files write).</summary>
public sealed record WildcardOption(string Text, double Weight);

/// <summary>A wildcard file that cannot be read as one.</summary>
public sealed class WildcardException(string message) : Exception(message);
