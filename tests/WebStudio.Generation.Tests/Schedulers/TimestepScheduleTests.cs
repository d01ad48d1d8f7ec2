using WebStudio.Generation.Schedulers;
using static WebStudio.Generation.Tests.Schedulers.SchedulerTestData;

namespace WebStudio.Generation.Tests.Schedulers;

/// <summary>The timestep tables diffusers produces for the spacings and schedulers the studio offers.</summary>
public sealed class TimestepScheduleTests
{
    [Fact]
    public void DDIM_with_steps_offset_matches_diffusers_table()
    {
        var scheduler = new DDIMScheduler(Linear(1000, "leading") with { StepsOffset = 1 });
        scheduler.SetTimesteps(5);
        Assert.Equal([801f, 601f, 401f, 201f, 1f], scheduler.Timesteps);
    }

    [Fact]
    public void Stable_Diffusion_DDIM_takes_every_fiftieth_timestep_from_951()
    {
        var scheduler = new DDIMScheduler(SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(20);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => 951f - 50 * i), scheduler.Timesteps);
    }

    [Fact]
    public void Trailing_spacing_ends_on_the_last_training_timestep()
    {
        var scheduler = new DDIMScheduler(SchedulerConfig.StableDiffusionDefault with { TimestepSpacing = "trailing" });
        scheduler.SetTimesteps(4);
        Assert.Equal([999f, 749f, 499f, 249f], scheduler.Timesteps);
    }

    [Fact]
    public void LCM_draws_four_steps_from_its_fifty_step_schedule()
    {
        var scheduler = new LCMScheduler(SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(4);
        Assert.Equal([999f, 759f, 499f, 259f], scheduler.Timesteps);
    }

    [Fact]
    public void PNDM_with_Runge_Kutta_steps_matches_diffusers_table()
    {
        var scheduler = new PNDMScheduler(Linear(1000, "leading") with { StepsOffset = 1, SkipPrkSteps = false });
        scheduler.SetTimesteps(10);
        Assert.Equal(
            [901f, 851f, 851f, 801f, 801f, 751f, 751f, 701f, 701f, 651f, 651f, 601f, 601f, 501f, 401f, 301f, 201f, 101f, 1f],
            scheduler.Timesteps);
    }

    [Fact]
    public void PLMS_repeats_its_second_timestep()
    {
        var scheduler = SchedulerFactory.Create(SchedulerNames.Plms, SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(5);
        Assert.Equal([801f, 601f, 601f, 401f, 201f, 1f], scheduler.Timesteps);
    }

    [Fact]
    public void DPM_solver_linspace_drops_timestep_zero()
    {
        var scheduler = new DPMSolverMultistepScheduler(Linear(1000, "linspace"));
        scheduler.SetTimesteps(10);
        Assert.Equal([999f, 899f, 799f, 699f, 599f, 500f, 400f, 300f, 200f, 100f], scheduler.Timesteps);
    }

    [Fact]
    public void Karras_schedule_spans_the_training_sigmas()
    {
        var scheduler = (DPMSolverMultistepScheduler)SchedulerFactory.Create(SchedulerNames.DpmPlusPlus2MKarras, SchedulerConfig.StableDiffusionDefault);
        scheduler.SetTimesteps(20);
        Assert.Equal(999f, scheduler.Timesteps[0]);
        Assert.Equal(0f, scheduler.Timesteps[^1]);
        Assert.True(scheduler.Timesteps.Zip(scheduler.Timesteps.Skip(1)).All(pair => pair.First >= pair.Second));
    }

    [Fact]
    public void Euler_initial_sigma_follows_the_spacing()
    {
        // leading: √(σ_max² + 1) with σ_max at timestep 951; linspace/trailing: σ_max itself at 999.
        var leading = new EulerDiscreteScheduler(SchedulerConfig.StableDiffusionDefault);
        leading.SetTimesteps(20);
        var alpha951 = StableDiffusionAlphaCumprod(951);
        Assert.Equal(Math.Sqrt((1 - alpha951) / alpha951 + 1), leading.InitNoiseSigma, 1e-3);

        var linspace = new EulerDiscreteScheduler(SchedulerConfig.StableDiffusionDefault with { TimestepSpacing = "linspace" });
        linspace.SetTimesteps(20);
        var alpha999 = StableDiffusionAlphaCumprod(999);
        Assert.Equal(Math.Sqrt((1 - alpha999) / alpha999), linspace.InitNoiseSigma, 1e-3);
    }

    [Fact]
    public void Zero_steps_are_rejected()
    {
        var scheduler = new EulerDiscreteScheduler(SchedulerConfig.StableDiffusionDefault);
        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.SetTimesteps(0));
    }
}
