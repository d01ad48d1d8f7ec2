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
    public const string Dpm2 = "DPM2";
    public const string Dpm2Karras = "DPM2 Karras";
    public const string Dpm2Ancestral = "DPM2 a";
    public const string Dpm2AncestralKarras = "DPM2 a Karras";
    public const string Plms = "PLMS";
    public const string Lcm = "LCM";

    public static IReadOnlyList<string> All { get; } =
        [Euler, EulerAncestral, Ddim, DpmPlusPlus2M, DpmPlusPlus2MKarras, DpmPlusPlus2MSde, DpmPlusPlus2MSdeKarras, UniPc, Lms, Heun, Dpm2, Dpm2Karras, Dpm2Ancestral, Dpm2AncestralKarras, Plms, Lcm];
}
