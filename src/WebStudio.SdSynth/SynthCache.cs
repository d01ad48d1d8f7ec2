namespace WebStudio.SdSynth;

/// <summary>
/// Where generated SD 1.5-sized folders live: $WEBSTUDIO_SYNTH_CACHE, else $XDG_CACHE_HOME/webstudio/sd15-synthetic,
/// else ~/.cache/webstudio/sd15-synthetic; one sub-folder per precision. Outside the repository, made when missing.
/// </summary>
public static class SynthCache
{
    public const string EnvironmentVariable = "WEBSTUDIO_SYNTH_CACHE";

    public static string Root
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return Path.GetFullPath(configured);
            }

            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var cache = string.IsNullOrWhiteSpace(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
                : xdg;
            return Path.Combine(cache, "webstudio", "sd15-synthetic");
        }
    }

    public static string FolderFor(bool fp16, string? root = null) => Path.Combine(root ?? Root, SynthFolder.Precision(fp16));

    /// <summary>The SD 1.5-sized folder of this precision, written first when it is missing or incomplete.</summary>
    public static string Ensure(bool fp16, string? root = null, Action<string>? log = null)
    {
        var folder = FolderFor(fp16, root);
        if (!SynthFolder.IsComplete(folder, SdArchitecture.Sd15, fp16))
        {
            log?.Invoke($"Writing the synthetic SD 1.5 folder {folder} (a few GB, once)...");
            var report = SynthFolder.Write(folder, SdArchitecture.Sd15, fp16);
            log?.Invoke(report.ToTable());
        }

        return folder;
    }
}
