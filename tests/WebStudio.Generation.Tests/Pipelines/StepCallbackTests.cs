using WebStudio.Generation.Pipelines;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Pipelines;

[Collection(TinyModelCollection.Name)]
public class StepCallbackTests(TinyModelFolders models)
{
    private static readonly GenerationRequest Request = new()
    {
        Prompt = "a ring", Steps = 8, Width = 64, Height = 64, Seed = 1, Scheduler = "Euler a", BatchSize = 2,
    };

    [Fact]
    public async Task The_callback_sees_every_step_with_latents_and_predicted_original()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        var seen = new Recorder();
        using var result = await pipeline.RunAsync(Request, seen);

        Assert.Equal(Enumerable.Range(0, 8), seen.Steps.Select(s => s.Index));
        Assert.All(seen.Steps, s => Assert.Equal(8, s.Total));
        Assert.All(seen.Steps, s => Assert.Equal([2, 4, 8, 8], s.Shape));
        Assert.True(seen.Steps.Zip(seen.Steps.Skip(1)).All(p => p.First.Timestep > p.Second.Timestep), "timesteps must decrease");
        Assert.NotEqual(seen.Steps[0].FirstX0, seen.Steps[^1].FirstX0);
    }

    [Fact]
    public async Task Heun_reports_both_model_calls_of_a_step_as_that_step_of_the_jobs_steps()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        var seen = new Recorder();
        using var result = await pipeline.RunAsync(Request with { Scheduler = "Heun" }, seen);

        // 8 steps: the first timestep once, the other seven twice (an Euler step, then its correction).
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7], seen.Steps.Select(s => s.Index));
        Assert.All(seen.Steps, s => Assert.Equal(8, s.Total));
        Assert.True(seen.Steps.Zip(seen.Steps.Skip(1)).All(p => p.First.Timestep >= p.Second.Timestep), "timesteps must not rise");
        Assert.Equal(15, result.Timings.Steps);
    }

    [Fact]
    public async Task A_callback_that_returns_false_interrupts_the_run_at_that_step()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        var stopper = new Recorder(stopAt: 2);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.RunAsync(Request, stopper));
        Assert.Equal(3, stopper.Steps.Count);
    }

    [Fact]
    public async Task Cancelling_the_token_stops_within_one_step()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        using var cts = new CancellationTokenSource();
        var recorder = new Recorder(onStep: i => { if (i == 3) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.RunAsync(Request, recorder, cts.Token));
        Assert.Equal(4, recorder.Steps.Count);
    }

    private sealed record Seen(int Index, int Total, float Timestep, int[] Shape, float FirstX0);

    private sealed class Recorder(int stopAt = -1, Action<int>? onStep = null) : IStepCallback
    {
        public List<Seen> Steps { get; } = [];

        public bool OnStep(StepProgress progress)
        {
            Steps.Add(new Seen(progress.StepIndex, progress.TotalSteps, progress.Timestep, progress.PredictedOriginal.Shape, progress.PredictedOriginal.Data[0]));
            onStep?.Invoke(progress.StepIndex);
            return progress.StepIndex != stopAt;
        }
    }
}
