namespace WebStudio.Generation.Schedulers;

/// <summary>Makes a fresh scheduler for one job from its A1111 sampler name and the model's scheduler config.</summary>
public static class SchedulerFactory
{
    public static IScheduler Create(string? name, SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return name switch
        {
            SchedulerNames.Euler => new EulerDiscreteScheduler(config),
            SchedulerNames.EulerKarras => new EulerDiscreteScheduler(config, useKarrasSigmas: true),
            SchedulerNames.EulerAncestral => new EulerAncestralDiscreteScheduler(config),
            SchedulerNames.EulerAncestralKarras => new EulerAncestralDiscreteScheduler(config, useKarrasSigmas: true),
            SchedulerNames.Ddim => new DDIMScheduler(config),
            SchedulerNames.DpmPlusPlus2M => new DPMSolverMultistepScheduler(config),
            SchedulerNames.DpmPlusPlus2MKarras => new DPMSolverMultistepScheduler(config, useKarrasSigmas: true),
            SchedulerNames.DpmPlusPlus2MSde => new DPMSolverMultistepScheduler(config, stochastic: true),
            SchedulerNames.DpmPlusPlus2MSdeKarras => new DPMSolverMultistepScheduler(config, useKarrasSigmas: true, stochastic: true),
            SchedulerNames.DpmPlusPlus2MSdeExponential => new DPMSolverMultistepScheduler(config, useKarrasSigmas: false, stochastic: true, exponentialSigmas: true),
            SchedulerNames.DpmPlusPlus2MSdeHeun => new DPMSolverMultistepScheduler(config, stochastic: true, heunSolver: true),
            SchedulerNames.DpmPlusPlus2MSdeHeunKarras => new DPMSolverMultistepScheduler(config, useKarrasSigmas: true, stochastic: true, heunSolver: true),
            SchedulerNames.DpmPlusPlus2MSdeHeunExponential => new DPMSolverMultistepScheduler(config, useKarrasSigmas: false, stochastic: true,
                exponentialSigmas: true, heunSolver: true),
            SchedulerNames.UniPc => new UniPCMultistepScheduler(config),
            SchedulerNames.Lms => new LMSDiscreteScheduler(config),
            SchedulerNames.LmsKarras => new LMSDiscreteScheduler(config, useKarrasSigmas: true),
            SchedulerNames.Heun => new HeunDiscreteScheduler(config),
            SchedulerNames.HeunKarras => new HeunDiscreteScheduler(config, useKarrasSigmas: true),
            SchedulerNames.Dpm2 => new KDpm2DiscreteScheduler(config),
            SchedulerNames.Dpm2Karras => new KDpm2DiscreteScheduler(config, useKarrasSigmas: true),
            SchedulerNames.Dpm2Ancestral => new KDpm2AncestralDiscreteScheduler(config),
            SchedulerNames.Dpm2AncestralKarras => new KDpm2AncestralDiscreteScheduler(config, useKarrasSigmas: true),
            SchedulerNames.DpmPlusPlus2SAncestral => new DpmPlusPlus2SAncestralScheduler(config),
            SchedulerNames.DpmPlusPlus2SAncestralKarras => new DpmPlusPlus2SAncestralScheduler(config, useKarrasSigmas: true),
            SchedulerNames.DpmPlusPlusSde => new DpmPlusPlusSdeScheduler(config),
            SchedulerNames.DpmPlusPlusSdeKarras => new DpmPlusPlusSdeScheduler(config, useKarrasSigmas: true),
            SchedulerNames.DpmPlusPlus3MSde => new DpmPlusPlus3MSdeScheduler(config),
            SchedulerNames.DpmPlusPlus3MSdeKarras => new DpmPlusPlus3MSdeScheduler(config, useKarrasSigmas: true),
            SchedulerNames.DpmPlusPlus3MSdeExponential => new DpmPlusPlus3MSdeScheduler(config, useKarrasSigmas: false, exponentialSigmas: true),
            // Stable Diffusion pipelines always run PNDM without its Runge–Kutta warm-up; at second order, which
            // stays stable under classifier-free guidance (diffusers' fourth order blew up on the built-in model).
            SchedulerNames.Plms => new PNDMScheduler(config with { SkipPrkSteps = true }, PNDMScheduler.GuidedPlmsOrder),
            SchedulerNames.Lcm => new LCMScheduler(config),
            _ => throw new ArgumentException(
                $"Unknown scheduler '{name}'. Valid names: {string.Join(", ", SchedulerNames.All)}.", nameof(name)),
        };
    }
}
