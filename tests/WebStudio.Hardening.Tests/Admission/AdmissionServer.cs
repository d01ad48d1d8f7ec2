using WebStudio.Tests.Shared;

namespace WebStudio.Hardening.Tests.Admission;

/// <summary>
/// The studio on the repository's built-in model (the default model the probe used) with an 8 GiB job memory
/// limit, so that admission answers the same on every machine. It only queues: a job accepted here never runs, so
/// accepting the largest size or batch that fits costs no memory.
/// </summary>
public sealed class AdmissionServer() : StudioHost(Settings)
{
    public const string BuiltInModel = "webstudio-shapes";

    public const int LimitMB = 8192;

    private static Dictionary<string, string?> Settings => new()
    {
        ["Generation:ModelsPath"] = RepositoryFolders.Models,
        ["Generation:DefaultModel"] = BuiltInModel,
        ["Generation:JobMemoryLimitMB"] = LimitMB.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Queue:RunJobs"] = "false",
    };
}
