using System.Runtime.CompilerServices;

namespace WebStudio.Generation.Tests.Text;

/// <summary>Finds the shared CLIP vocabulary at ../shared/clip next to the repository root (the folder holding
/// WebStudio.sln). It is never copied into the repo, so a missing folder fails the test instead of skipping it.</summary>
internal static class SharedClipData
{
    private static readonly Lazy<WebStudio.Generation.Text.ClipTokenizer> Shared = new(() =>
        WebStudio.Generation.Text.ClipTokenizer.FromFolder(Folder));

    public static string Folder => Locate();

    /// <summary>One tokenizer for all tests: loading 49k merges is the slow part.</summary>
    public static WebStudio.Generation.Text.ClipTokenizer Tokenizer => Shared.Value;

    private static string Locate([CallerFilePath] string sourceFile = "")
    {
        // Build outputs may live outside the tree (--artifacts-path), so the source file's folder is a second start.
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WebStudio.sln")))
                {
                    var clip = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "clip"));
                    Assert.True(Directory.Exists(clip),
                        $"Shared CLIP test data is missing: expected vocab.json, merges.txt and token_ids_reference.json in '{clip}'.");
                    return clip;
                }
            }
        }

        Assert.Fail($"No folder holding WebStudio.sln above '{AppContext.BaseDirectory}' or '{sourceFile}', so ../shared/clip cannot be found.");
        return "";
    }
}
