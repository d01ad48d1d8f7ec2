namespace WebStudio.SdSynth;

/// <summary>
/// Where generated folders live: $WEBSTUDIO_SYNTH_CACHE, else $XDG_CACHE_HOME/webstudio/sd15-synthetic, else
/// ~/.cache/webstudio/sd15-synthetic (SDXL's: sdxl-synthetic beside it, or an sdxl sub-folder of
/// $WEBSTUDIO_SYNTH_CACHE); one sub-folder per precision. Outside the repository, made when missing.
/// </summary>
public static class SynthCache
{
    public const string EnvironmentVariable = "WEBSTUDIO_SYNTH_CACHE";

    public static string Root => RootFor(SdArchitecture.Sd15);

    public static string RootFor(SdArchitecture architecture)
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var root = Path.GetFullPath(configured);
            return architecture == SdArchitecture.Sd15 ? root : Path.Combine(root, architecture.Name);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var cache = string.IsNullOrWhiteSpace(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(cache, "webstudio", $"{architecture.Name}-synthetic");
    }

    public static string FolderFor(bool fp16, string? root = null) => FolderFor(SdArchitecture.Sd15, fp16, root);

    public static string FolderFor(SdArchitecture architecture, bool fp16, string? root = null) =>
        Path.Combine(root ?? RootFor(architecture), SynthFolder.Precision(fp16));

    /// <summary>The SD 1.5-sized folder of this precision, written first when it is missing or incomplete.</summary>
    public static string Ensure(bool fp16, string? root = null, Action<string>? log = null) =>
        Ensure(SdArchitecture.Sd15, fp16, root, log);

    /// <summary>The folder of this architecture and precision, written first when it is missing or incomplete.</summary>
    public static string Ensure(SdArchitecture architecture, bool fp16, string? root = null, Action<string>? log = null)
    {
        var folder = FolderFor(architecture, fp16, root);
        if (!SynthFolder.IsComplete(folder, architecture, fp16))
        {
            log?.Invoke($"Writing the synthetic {architecture.Name} folder {folder} ({(architecture.IsXl ? "7–14" : "2–4")} GB, once)...");
            var report = SynthFolder.Write(folder, architecture, fp16);
            log?.Invoke(report.ToTable());
        }

        return folder;
    }
}
