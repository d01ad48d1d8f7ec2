namespace WebStudio.Generation.Schedulers;

/// <summary>The sampler names users pick from, spelled as AUTOMATIC1111's web UI spells them.</summary>
public static class SchedulerNames
{
    public const string Euler = "Euler";
    public const string EulerAncestral = "Euler a";
    public const string Ddim = "DDIM";
    public const string DpmPlusPlus2M = "DPM++ 2M";
    public const string DpmPlusPlus2MKarras = "DPM++ 2M Karras";
    public const string DpmPlusPlus2MSde = "DPM++ 2M SDE";
    public const string DpmPlusPlus2MSdeKarras = "DPM++ 2M SDE Karras";
    public const string UniPc = "UniPC";
    public const string Lms = "LMS";
    public const string Heun = "Heun";
    public const string Plms = "PLMS";
    public const string Lcm = "LCM";

    public static IReadOnlyList<string> All { get; } =
        [Euler, EulerAncestral, Ddim, DpmPlusPlus2M, DpmPlusPlus2MKarras, DpmPlusPlus2MSde, DpmPlusPlus2MSdeKarras, UniPc, Lms, Heun, Plms, Lcm];
}
