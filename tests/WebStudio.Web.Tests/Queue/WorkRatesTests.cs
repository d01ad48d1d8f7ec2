using WebStudio.Studio.Queue;

namespace WebStudio.Web.Tests.Queue;

/// <summary>A model's measured speed, from its finished runs, as the queue's ETAs use it.</summary>
[Trait("Capability", "StudioCore")]
public sealed class WorkRatesTests
{
    private const double Pixels = 512 * 512;

    [Fact]
    public void A_models_first_run_counts_its_load_only_until_a_second_run_has_finished()
    {
        // 20 steps of 100 ms at 512²; the rest of a job 1 s, and the first run after a start also loaded the model (4 s).
        var first = new FinishedRun(TotalMs: 2000 + 1000 + 4000, StepMs: 100, Steps: 20, Images: 1, Width: 512, Height: 512);
        var second = new FinishedRun(TotalMs: 2000 + 1000, StepMs: 100, Steps: 20, Images: 1, Width: 512, Height: 512);

        var afterOne = ModelRate.Of([first])!.Value;
        var afterTwo = ModelRate.Of([second, first])!.Value;

        Assert.Equal(5000 / Pixels, afterOne.RestMs, 12);
        Assert.Equal(1000 / Pixels, afterTwo.RestMs, 12);
        Assert.Equal(100 / Pixels, afterTwo.StepMs, 12);
    }

    [Fact]
    public void A_runs_measured_load_is_left_out_of_its_rest_from_the_first_run()
    {
        var first = new FinishedRun(TotalMs: 2000 + 1000 + 4000, StepMs: 100, Steps: 20, Images: 1, Width: 512, Height: 512, LoadMs: 4000);

        Assert.Equal(1000 / Pixels, ModelRate.Of([first])!.Value.RestMs, 12);
    }

    [Fact]
    public void A_second_order_samplers_steps_are_measured_and_told_as_its_model_calls()
    {
        // Euler a: 20 steps of 100 ms. Heun: 20 steps in 39 model calls of 100 ms, 195 ms a step.
        var euler = new FinishedRun(TotalMs: 2000 + 1000, StepMs: 100, Steps: 20, Images: 1, Width: 512, Height: 512, Scheduler: "Euler a");
        var heun = new FinishedRun(TotalMs: 3900 + 1000, StepMs: 195, Steps: 20, Images: 1, Width: 512, Height: 512, Scheduler: "Heun");

        var rate = ModelRate.Of([euler, heun])!.Value;
        var rates = new WorkRates(new Dictionary<string, ModelRate> { ["m"] = rate }, ModelRate.Default);

        Assert.Equal(39, heun.Calls);
        Assert.Equal(100 / Pixels, rate.StepMs, 12);
        Assert.Equal(4900, rates.TimeOf("m", "Heun", 20, 1, 512, 512).TotalMilliseconds, 6);
        Assert.Equal(3000, rates.TimeOf("m", "Euler a", 20, 1, 512, 512).TotalMilliseconds, 6);
        Assert.Equal(2 * (2900 + 1000), rates.TimeOf("m", "DPM2 Karras", 15, 2, 512, 512).TotalMilliseconds, 6);
    }

    [Fact]
    public void An_odd_number_of_runs_takes_the_middle_rest_and_runs_without_a_time_are_left_out()
    {
        var runs = new[] { 1000.0, 3000, 2000 }
            .Select(rest => new FinishedRun(TotalMs: 2000 + rest, StepMs: 100, Steps: 20, Images: 2, Width: 256, Height: 256))
            .Append(new FinishedRun(TotalMs: 0, StepMs: null, Steps: 20, Images: 1, Width: 512, Height: 512))
            .ToList();

        var rate = ModelRate.Of(runs)!.Value;

        Assert.Equal(2000 / (2.0 * 256 * 256), rate.RestMs, 12);
        Assert.Null(ModelRate.Of([runs[^1]]));
    }
}
