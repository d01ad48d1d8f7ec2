namespace WebStudio.Generation.Schedulers;

/// <summary>The sampler names users pick from, spelled as AUTOMATIC1111's web UI spells them.</summary>
public static class SchedulerNames
{
    public const string Euler = "Euler";
    public const string EulerKarras = "Euler Karras";
    public const string EulerAncestral = "Euler a";
    public const string EulerAncestralKarras = "Euler a Karras";
    public const string Ddim = "DDIM";
    public const string DpmPlusPlus2M = "DPM++ 2M";
    public const string DpmPlusPlus2MKarras = "DPM++ 2M Karras";
    public const string DpmPlusPlus2MSde = "DPM++ 2M SDE";
    public const string DpmPlusPlus2MSdeKarras = "DPM++ 2M SDE Karras";
    public const string DpmPlusPlus2MSdeExponential = "DPM++ 2M SDE Exponential";
    public const string DpmPlusPlus2MSdeHeun = "DPM++ 2M SDE Heun";
    public const string DpmPlusPlus2MSdeHeunKarras = "DPM++ 2M SDE Heun Karras";
    public const string DpmPlusPlus2MSdeHeunExponential = "DPM++ 2M SDE Heun Exponential";
    public const string UniPc = "UniPC";
    public const string Lms = "LMS";
    public const string LmsKarras = "LMS Karras";
    public const string Heun = "Heun";
    public const string HeunKarras = "Heun Karras";
    public const string Dpm2 = "DPM2";
    public const string Dpm2Karras = "DPM2 Karras";
    public const string Dpm2Ancestral = "DPM2 a";
    public const string Dpm2AncestralKarras = "DPM2 a Karras";
    public const string DpmPlusPlus2SAncestral = "DPM++ 2S a";
    public const string DpmPlusPlus2SAncestralKarras = "DPM++ 2S a Karras";
    public const string DpmPlusPlusSde = "DPM++ SDE";
    public const string DpmPlusPlusSdeKarras = "DPM++ SDE Karras";
    public const string DpmPlusPlus3MSde = "DPM++ 3M SDE";
    public const string DpmPlusPlus3MSdeKarras = "DPM++ 3M SDE Karras";
    public const string DpmPlusPlus3MSdeExponential = "DPM++ 3M SDE Exponential";
    public const string Plms = "PLMS";
    public const string Lcm = "LCM";

    /// <summary>The second-order samplers (<see cref="IScheduler.Order"/> 2): they ask the model twice for every step
    /// but the last.</summary>
    public static IReadOnlyList<string> SecondOrder { get; } =
        [Heun, HeunKarras, Dpm2, Dpm2Karras, Dpm2Ancestral, Dpm2AncestralKarras, DpmPlusPlus2SAncestral, DpmPlusPlus2SAncestralKarras,
        DpmPlusPlusSde, DpmPlusPlusSdeKarras];

    /// <summary>The model calls that <paramref name="steps"/> steps of <paramref name="name"/> take from noise: what a
    /// step costs, for the queue's ETAs (a Heun step takes about two Euler steps' time). PLMS asks once more, at its
    /// pseudo-Heun start.</summary>
    public static int ModelCalls(string? name, int steps) => name switch
    {
        _ when steps < 2 => steps,
        Plms => steps + 1,
        _ when SecondOrder.Contains(name, StringComparer.Ordinal) => 2 * steps - 1,
        _ => steps,
    };

    public static IReadOnlyList<string> All { get; } =
    [
        Euler, EulerKarras, EulerAncestral, EulerAncestralKarras, Ddim, DpmPlusPlus2M, DpmPlusPlus2MKarras, DpmPlusPlus2MSde,
        DpmPlusPlus2MSdeKarras, DpmPlusPlus2MSdeExponential, DpmPlusPlus2MSdeHeun, DpmPlusPlus2MSdeHeunKarras,
        DpmPlusPlus2MSdeHeunExponential, UniPc, Lms, LmsKarras, Heun, HeunKarras, Dpm2, Dpm2Karras, Dpm2Ancestral,
        Dpm2AncestralKarras, DpmPlusPlus2SAncestral, DpmPlusPlus2SAncestralKarras, DpmPlusPlusSde, DpmPlusPlusSdeKarras,
        DpmPlusPlus3MSde, DpmPlusPlus3MSdeKarras, DpmPlusPlus3MSdeExponential, Plms, Lcm,
    ];
}
