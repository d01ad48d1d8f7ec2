using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.ScaleOut.Tests.Infrastructure;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Queue;

namespace WebStudio.ScaleOut.Tests;

/// <summary>
/// The queue's ETAs weigh each job by its own model's measured speed (per model call, and for the rest of a job) and by
/// its model calls (a second-order sampler's two a step), images and pixels, on SQLite and on PostgreSQL, in a member's view (summed in SQL) and in the administrator's (summed here) alike: a quick job
/// queued behind a slow model's job waits for that job's time, not for a step count.
/// </summary>
[Trait("Capability", "StudioCore")]
[Collection(PostgresCollection.Name)]
public sealed class QueueEtaOnBothProvidersTests(PostgresServer server)
{
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Each_job_is_estimated_at_its_own_models_measured_speed_in_proportion_to_its_pixels(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var (a, b) = await core.AddUsersAsync("a", "b") switch { var ids => (ids[0], ids[1]) };
        await using (var db = await core.CreateDbContextAsync())
        {
            // Measured, for 10 steps of one 256² image: "fast" 1 s (0.8 s of steps, 0.2 s of the rest; the first run
            // after a start also loaded the model, 4 s more, which the rest's median leaves out); "slow" 10 s (9 s of
            // steps). Only each model's last 20 runs count (an older slow run of 1,000 s does not), and only
            // succeeded ones (a failed one does not).
            db.Jobs.Add(Finished(a, "fast", 5_000, 80, at: 100));
            for (var i = 1; i < 4; i++)
            {
                db.Jobs.Add(Finished(a, "fast", 1_000, 80, at: 100 + i));
            }

            db.Jobs.Add(Finished(a, "slow", 1_000_000, 900, at: 0));
            for (var i = 0; i < WorkRates.History; i++)
            {
                db.Jobs.Add(Finished(b, "slow", 10_000, 900, at: 200 + i));
            }

            db.Jobs.Add(Finished(b, "slow", 500_000, 900, at: 300, JobStatus.Failed));
            // Running: a fast job with all its 10 steps of 256² ahead (no step reported yet), 1 s.
            db.Jobs.Add(Waiting(b, "fast", 10, 256, 1, at: 400, JobStatus.Running));
            // Queued, in this run order: 10 s; then 2 images of 512², each 4 × 256²'s pixels, of 20 steps:
            // 2 × 4 × (20 × 0.08 + 0.2) = 14.4 s; then 1 s; then a model that has never finished a job, at the
            // measured runs' pooled rates: steps (4 × 0.8 + 20 × 9) / 24 s, and the median rest of the 24, 1 s.
            db.Jobs.Add(Waiting(a, "slow", 10, 256, 1, at: 500));
            db.Jobs.Add(Waiting(b, "fast", 20, 512, 2, at: 501));
            db.Jobs.Add(Waiting(a, "fast", 10, 256, 1, at: 502));
            db.Jobs.Add(Waiting(b, "new", 10, 256, 1, at: 503));
            await db.SaveChangesAsync();
        }

        var snapshot = core.Services.GetRequiredService<QueueSnapshot>();
        var unseen = ((4 * 0.8) + (20 * 9)) / 24 + 1;
        var expected = new[] { 1 + 10, 1 + 10 + 14.4, 1 + 10 + 14.4 + 1, 1 + 10 + 14.4 + 1 + unseen };

        var aView = await snapshot.GetAsync(a, isAdmin: false);
        var bView = await snapshot.GetAsync(b, isAdmin: false);
        var adminView = await snapshot.GetAsync("someone-else", isAdmin: true);

        Assert.Equal([1, 3], aView.Entries.Select(e => e.Position));
        AssertSeconds([expected[0], expected[2]], aView.Entries);
        Assert.Equal([JobStatus.Running, JobStatus.Queued, JobStatus.Queued], bView.Entries.Select(e => e.Status));
        AssertSeconds([1, expected[1], expected[3]], bView.Entries);
        AssertSeconds([1, .. expected], adminView.Entries);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task The_first_job_of_a_model_that_no_live_worker_holds_waits_for_its_measured_load(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var (a, b) = await core.AddUsersAsync("a", "b") switch { var ids => (ids[0], ids[1]) };
        var now = DateTime.UtcNow;
        await using (var db = await core.CreateDbContextAsync())
        {
            // Both models: 1 s a job of 10 steps at 256² (0.8 s of steps). "big" took 30 s to load when a run last
            // loaded it (its older loads 20 s and 40 s: the median); "small" 5 s. A live worker holds "small"; a worker
            // that holds "big" stopped beating long ago, so nothing holds it. Both can run either model.
            var loads = new (string Model, double? LoadMs)[] { ("big", 20_000), ("big", 40_000), ("big", 30_000), ("big", null), ("small", 5_000), ("small", null) };
            for (var i = 0; i < loads.Length; i++)
            {
                var run = Finished(a, loads[i].Model, 1_000 + (loads[i].LoadMs ?? 0), 80, at: 100 + i);
                run.LoadMs = loads[i].LoadMs;
                db.Jobs.Add(run);
            }

            // "gone" was measured too, but no worker has it now: its job, first in the queue, adds no time (no claim
            // takes it), nor does its load.
            var gone = Finished(b, "gone", 61_000, 80, at: 90);
            gone.LoadMs = 60_000;
            db.Jobs.Add(gone);
            db.Jobs.Add(Waiting(b, "gone", 10, 256, 1, at: 499));
            db.Workers.Add(new WorkerRecord { Id = "live", Models = ["big", "small"], LoadedModels = ["small"], StartedAt = now, LastHeartbeatAt = now });
            db.Workers.Add(new WorkerRecord { Id = "dead", Models = ["big", "small"], LoadedModels = ["big"], StartedAt = now.AddHours(-2), LastHeartbeatAt = now.AddHours(-1) });
            // Queued in this run order: small, big (pays the load), big, small.
            db.Jobs.Add(Waiting(a, "small", 10, 256, 1, at: 500));
            db.Jobs.Add(Waiting(b, "big", 10, 256, 1, at: 501));
            db.Jobs.Add(Waiting(a, "big", 10, 256, 1, at: 502));
            db.Jobs.Add(Waiting(b, "small", 10, 256, 1, at: 503));
            await db.SaveChangesAsync();
        }

        var snapshot = core.Services.GetRequiredService<QueueSnapshot>();
        double[] expected = [1, 1 + 1 + 30, 1 + 1 + 30 + 1, 1 + 1 + 30 + 1 + 1];

        var aView = await snapshot.GetAsync(a, isAdmin: false);
        var bView = await snapshot.GetAsync(b, isAdmin: false);
        var adminView = await snapshot.GetAsync("someone-else", isAdmin: true);

        Assert.NotNull(Assert.Single(bView.Entries, e => e.Model == "gone").UnservedUntil);
        AssertSeconds([expected[0], expected[2]], aView.Entries);
        AssertSeconds([expected[1], expected[3]], bView.Entries.Where(e => e.UnservedUntil is null));
        AssertSeconds(expected, adminView.Entries.Where(e => e.UnservedUntil is null));
        var place = await snapshot.PlaceOfAsync(bView.Entries.First(e => e.Model == "big").JobId, b);
        Assert.Equal(expected[1], place!.Value.Eta!.Value.TotalSeconds, 3);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_job_is_estimated_by_its_samplers_model_calls(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var (a, b) = await core.AddUsersAsync("a", "b") switch { var ids => (ids[0], ids[1]) };
        await using (var db = await core.CreateDbContextAsync())
        {
            // Measured at 256², 10 steps each: Euler a runs of 1 s (0.8 s for 10 model calls, 0.2 s of the rest) and Heun
            // runs of 1.72 s (1.52 s for 19 calls, 152 ms a step): both are 80 ms a call.
            for (var i = 0; i < 3; i++)
            {
                db.Jobs.Add(Finished(a, "fast", 1_000, 80, at: 100 + i));
                db.Jobs.Add(Finished(a, "fast", 1_720, 152, at: 110 + i, scheduler: "Heun"));
            }

            // Queued, in this run order: Heun, 10 steps (19 calls): 1.72 s; DPM2 a, 20 steps (39 calls): 3.32 s; Euler a,
            // 10 steps: 1 s; PLMS, 10 steps (11 calls, with its pseudo-Heun start): 1.08 s.
            db.Jobs.Add(Waiting(a, "fast", 10, 256, 1, at: 500, scheduler: "Heun"));
            db.Jobs.Add(Waiting(b, "fast", 20, 256, 1, at: 501, scheduler: "DPM2 a"));
            db.Jobs.Add(Waiting(a, "fast", 10, 256, 1, at: 502));
            db.Jobs.Add(Waiting(b, "fast", 10, 256, 1, at: 503, scheduler: "PLMS"));
            await db.SaveChangesAsync();
        }

        var snapshot = core.Services.GetRequiredService<QueueSnapshot>();
        double[] expected = [1.72, 1.72 + 3.32, 1.72 + 3.32 + 1, 1.72 + 3.32 + 1 + 1.08];

        AssertSeconds([expected[0], expected[2]], (await snapshot.GetAsync(a, isAdmin: false)).Entries);
        AssertSeconds([expected[1], expected[3]], (await snapshot.GetAsync(b, isAdmin: false)).Entries);
        AssertSeconds(expected, (await snapshot.GetAsync("someone-else", isAdmin: true)).Entries);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_hires_fix_adds_its_enlarged_second_pass_and_its_runs_leave_the_rates_alone(string provider)
    {
        await using var core = await StudioCore.StartAsync(provider, server);
        var (a, _) = await core.AddUsersAsync("a", "b") switch { var ids => (ids[0], ids[1]) };
        await using (var db = await core.CreateDbContextAsync())
        {
            // Measured at 256², 10 steps each: runs of 1 s (0.8 s for 10 model calls, 0.2 s of the rest); a newer run with a
            // hires fix, whose time mixes two sizes, is not measured.
            for (var i = 0; i < 3; i++)
            {
                db.Jobs.Add(Finished(a, "fast", 1_000, 80, at: 100 + i));
            }

            db.Jobs.Add(Finished(a, "fast", 9_000, 500, at: 110, hires: new HiresPass { Factor = 2, Strength = 0.5f }));

            // Queued: 10 steps at 256², 1 s; then, 2× at strength 0.5 over 10 steps, 5 denoising steps at 512²: 4 × (0.4 s
            // of calls + 0.2 s of the rest), 2.4 s more.
            db.Jobs.Add(Waiting(a, "fast", 10, 256, 1, at: 500, hires: new HiresPass { Factor = 2, Strength = 0.5f }));
            await db.SaveChangesAsync();
        }

        var snapshot = core.Services.GetRequiredService<QueueSnapshot>();
        AssertSeconds([1 + 2.4], (await snapshot.GetAsync(a, isAdmin: false)).Entries);
        AssertSeconds([1 + 2.4], (await snapshot.GetAsync("someone-else", isAdmin: true)).Entries);
    }

    private static void AssertSeconds(double[] expected, IEnumerable<QueueEntry> entries) =>
        Assert.Equal(expected, entries.Select(e => e.Eta.TotalSeconds), (x, y) => Math.Abs(x - y) < 0.001);

    private static GenerationJob Finished(string owner, string model, double totalMs, double stepMs, int at, JobStatus status = JobStatus.Succeeded,
        string scheduler = "Euler a", HiresPass? hires = null)
    {
        var job = Waiting(owner, model, 10, 256, 1, at, status, scheduler, hires);
        (job.StartedAt, job.FinishedAt, job.TotalMs, job.AverageStepMs) = (job.CreatedAt, job.CreatedAt.AddSeconds(1), totalMs, stepMs);
        return job;
    }

    private static GenerationJob Waiting(string owner, string model, int steps, int size, int images, int at, JobStatus status = JobStatus.Queued,
        string scheduler = "Euler a", HiresPass? hires = null)
    {
        var job = new GenerationJob { OwnerId = owner, Source = JobSource.Api, Width = size, Height = size, CreatedAt = Start.AddMinutes(at), Status = status };
        JobSpecJson.Store(job, StudioCore.Spec($"{model} job") with
        {
            Model = model, Scheduler = scheduler, Steps = steps, BatchSize = images, Width = size, Height = size, Hires = hires,
        });
        return job;
    }
}
