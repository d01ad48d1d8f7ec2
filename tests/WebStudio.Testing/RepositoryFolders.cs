namespace WebStudio.Tests.Shared;

/// <summary>Folders of the repository the tests run in: found above the test binaries (tests/PROJECT/bin/...).</summary>
public static class RepositoryFolders
{
    private static readonly Lazy<string> FoundRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebStudio.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No WebStudio.sln above {AppContext.BaseDirectory}.");
    });

    /// <summary>Where WebStudio.sln is.</summary>
    public static string Root => FoundRoot.Value;

    /// <summary>The repository's models folder, holding the built-in model (webstudio-shapes), read in place.</summary>
    public static string Models => Path.Combine(Root, "models");
}
