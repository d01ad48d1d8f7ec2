using System.Collections.Concurrent;
using System.IO.Enumeration;

namespace WebStudio.Studio.Prompts;

/// <summary>
/// sd-dynamic-prompts' wildcards: the text files of one folder, each line an option of the wildcard named by the file's
/// path without <c>.txt</c> (<c>colors.txt</c> is <c>__colors__</c>, <c>animals/cats.txt</c> is
/// <c>__animals/cats__</c>). Blank lines and lines starting with <c>#</c> are left out. Files are read when they
/// change, not at every key press of the form that counts a prompt's combinations. A name with <c>*</c> stands for every
/// wildcard it matches, as sd-dynamic-prompts' globbing does: <c>__colors*__</c> is the lines of <c>colors-warm.txt</c>
/// and <c>colors-cold.txt</c>, and <c>__animals/*__</c> those of every file under <c>animals/</c>.
/// </summary>
public sealed class Wildcards(string folder)
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
            .Where(IsName)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The options of the wildcard <paramref name="name"/>, or null where there is no such file (or the name
    /// could leave the folder); <see cref="WildcardException"/> for a file too large or that cannot be read.</summary>
    public IReadOnlyList<string>? Lines(string name)
    {
        if (folder == "" || !IsPattern(name))
        {
            return null;
        }

        if (name.Contains('*'))
        {
            var matched = Names().Where(known => FileSystemName.MatchesSimpleExpression(name, known, ignoreCase: false)).ToList();
            return matched.Count == 0 ? null : [.. matched.SelectMany(known => Lines(known) ?? [])];
        }

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

/// <summary>A wildcard file that cannot be read as one.</summary>
public sealed class WildcardException(string message) : Exception(message);
