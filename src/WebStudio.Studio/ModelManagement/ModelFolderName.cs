using System.Text;

namespace WebStudio.Studio.ModelManagement;

/// <summary>
/// The folder name a model is installed under: letters, digits, '-', '_' and '.', never starting with '.', at most
/// <see cref="MaxLength"/> characters. A name given by a user is checked; one derived from a repository id, a zip or
/// a folder is made safe, so that no name can reach outside the models folder.
/// </summary>
public static class ModelFolderName
{
    public const int MaxLength = 100;

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && name[0] != '.' && name.All(Allowed);

    /// <summary><paramref name="name"/> when valid, else <see cref="ModelInstallException"/>.</summary>
    public static string Check(string? name) => IsValid(name)
        ? name!
        : throw new ModelInstallException($"'{name}' is not a usable model name: use letters, digits, '-', '_' and '.', not starting with '.', at most {MaxLength} characters.");

    /// <summary>A valid name made from <paramref name="source"/> (e.g. "stabilityai/sd-turbo" → "sd-turbo").</summary>
    public static string From(string source)
    {
        var last = source.Replace('\\', '/').TrimEnd('/').Split('/')[^1];
        var safe = new StringBuilder();
        foreach (var c in last)
        {
            safe.Append(Allowed(c) ? c : '-');
        }

        var name = safe.ToString().TrimStart('.', '-').TrimEnd('.', '-');
        if (name.Length > MaxLength)
        {
            name = name[..MaxLength];
        }

        return name.Length > 0 ? name : "model";
    }

    private static bool Allowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
}
