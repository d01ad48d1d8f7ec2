using WebStudio.Studio.Prompts;

namespace WebStudio.Web.Tests.Prompts;

/// <summary>A wildcards folder of a test's own, the library read from it, and what a template makes with it.</summary>
internal sealed class WildcardFolder : IDisposable
{
    private readonly TempFolder _folder = new();

    public string Path => _folder.Path;

    /// <summary>A fresh library each time, as a new request's would be.</summary>
    public Wildcards Library => new(_folder.Path);

    public string Combine(string relative) => _folder.Combine(relative);

    /// <summary>Writes a file under the folder, making its sub-folders.</summary>
    public void Write(string relative, string text)
    {
        var path = _folder.Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>The prompts a template makes; a template with a problem throws it, for a test that expects none.</summary>
    public IReadOnlyList<string> Prompts(string prompt) =>
        DynamicPrompts.Of(prompt, "", wildcards: Library) is { Problem: null } made ? made.Pairs.Select(p => p.Prompt).ToList()
            : throw new InvalidOperationException(DynamicPrompts.Of(prompt, "", wildcards: Library).Problem!.Message);

    /// <summary>What is wrong with a template.</summary>
    /// <summary>The texts of a wildcard's options, without their weights; null where there is no such wildcard.</summary>
    public static IReadOnlyList<string>? Texts(Wildcards library, string name) => library.Options(name)?.Select(option => option.Text).ToList();

    public string Problem(string prompt) => DynamicPrompts.Of(prompt, "", wildcards: Library).Problem!.Message;

    public void Dispose() => _folder.Dispose();
}
