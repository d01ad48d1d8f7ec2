using WebStudio.Tests.Shared;

namespace WebStudio.Hardening.Tests.Admission;

/// <summary>
/// The studio on the repository's built-in model (the default model the probe used) with an 8 GiB job memory
/// limit, so that admission answers the same on every machine. It only queues: a job accepted here never runs, so
/// accepting the largest size or batch that fits costs no memory.
/// </summary>
public sealed class AdmissionServer() : ApiServer(Settings)
{
    public const string BuiltInModel = "webstudio-shapes";

    public const int LimitMB = 8192;

    private static Dictionary<string, string?> Settings => new()
    {
        ["Generation:ModelsPath"] = Path.Combine(RepositoryRoot(), "models"),
        ["Generation:DefaultModel"] = BuiltInModel,
        ["Generation:JobMemoryLimitMB"] = LimitMB.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Queue:RunJobs"] = "false",
    };

    // The test binaries sit under tests/<project>/bin/...; the repository root is where WebStudio.sln is.
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebStudio.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No WebStudio.sln above {AppContext.BaseDirectory}.");
    }
}
