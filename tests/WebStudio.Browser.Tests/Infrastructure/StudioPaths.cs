using System.Reflection;

namespace WebStudio.Browser.Tests.Infrastructure;

/// <summary>Paths the build bakes into this assembly (see the csproj's RecordRepositoryRoot target).</summary>
public static class StudioPaths
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>The built-in model's folder, when it has been trained and exported into the repository.</summary>
    public static string? BuiltInModel =>
        Path.Combine(RepositoryRoot, "models", "webstudio-shapes") is var folder && File.Exists(Path.Combine(folder, "model_index.json"))
            ? folder
            : null;

    /// <summary>Screenshots and logs of failed browser tests: the project's TestResults folder (git-ignored).</summary>
    public static string TestResults { get; } = Path.Combine(RepositoryRoot, "tests", "WebStudio.Browser.Tests", "TestResults");

    private static string Metadata(string key)
    {
        var value = typeof(StudioPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidOperationException($"The test assembly lacks its '{key}' metadata; build it with its csproj (RecordRepositoryRoot target).");
        }

        return value;
    }
}
