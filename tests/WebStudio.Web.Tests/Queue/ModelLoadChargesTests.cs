using WebStudio.Studio.Queue;

namespace WebStudio.Web.Tests.Queue;

/// <summary>The model loads the queue's ETAs charge: once per model that no worker holds, to its first job.</summary>
[Trait("Capability", "StudioCore")]
public sealed class ModelLoadChargesTests
{
    private static readonly Dictionary<string, TimeSpan> Loads = new()
    {
        ["sdxl"] = TimeSpan.FromSeconds(30),
        ["sd15"] = TimeSpan.FromSeconds(8),
        ["held"] = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public void The_first_job_of_a_model_no_worker_holds_waits_for_its_load_and_the_next_ones_do_not()
    {
        var charges = new ModelLoadCharges(Loads, held: ["held"]);

        Assert.Equal([30, 0, 0, 8, 0], new[] { "sdxl", "sdxl", "held", "sd15", "sd15" }.Select(m => charges.ChargeFor(m).TotalSeconds));
    }

    [Fact]
    public void A_model_never_loaded_by_a_measured_run_is_charged_nothing()
    {
        var charges = new ModelLoadCharges(Loads, held: []);

        Assert.Equal(TimeSpan.Zero, charges.ChargeFor("new"));
    }

    [Fact]
    public void A_running_job_pays_its_models_load_until_its_first_step_and_the_queued_jobs_of_that_model_never_do()
    {
        var loading = new ModelLoadCharges(Loads, held: []);
        var stepping = new ModelLoadCharges(Loads, held: []);

        Assert.Equal(TimeSpan.FromSeconds(30), loading.ChargeForRunning("sdxl", step: 0));
        Assert.Equal(TimeSpan.Zero, stepping.ChargeForRunning("sdxl", step: 3));
        Assert.Equal(TimeSpan.Zero, loading.ChargeFor("sdxl"));
        Assert.Equal(TimeSpan.Zero, stepping.ChargeFor("sdxl"));
    }

    [Fact]
    public void A_members_job_is_charged_the_loads_of_the_models_whose_first_job_is_at_or_before_it()
    {
        var charges = new ModelLoadCharges(Loads, held: ["held"]);
        var first = new Dictionary<string, int> { ["held"] = 1, ["sd15"] = 2, ["sdxl"] = 4, ["new"] = 3 };

        Assert.Equal([0, 8, 8, 38, 38], Enumerable.Range(1, 5).Select(p => charges.UpTo(p, first).TotalSeconds));
        Assert.Equal(["sd15", "sdxl"], charges.Unheld.Order());
    }
}
