using Microsoft.EntityFrameworkCore;
using WebStudio.Browser.Tests.Infrastructure;
using WebStudio.Data;

namespace WebStudio.Browser.Tests;

/// <summary>
/// Crash recovery of the real server process with jobs submitted over HTTP: SIGKILL mid-job, start again on the same
/// database, and every job finishes (the interrupted one on its second attempt) with the database intact.
/// </summary>
public sealed class ServerCrashRecoveryTests
{
    [Fact]
    public async Task Jobs_submitted_over_http_all_finish_after_a_sigkill_mid_job_and_a_restart()
    {
        using var sandbox = new StudioSandbox();
        var model = sandbox.AddTinyModel();
        var parameters = (long seed) => new { prompt = $"crash {seed}", model, scheduler = "Euler a", steps = 150, guidance = 7, seed, width = 128, height = 128, batchSize = 2 };

        var first = await StudioHost.StartAsync(sandbox.Options());
        List<Guid> ids;
        try
        {
            using var user = await StudioHttpUser.RegisterAsync(first, "crash@browser.test");
            ids = [await user.SubmitAsync(parameters(1)), await user.SubmitAsync(parameters(2)), await user.SubmitAsync(parameters(3))];

            // Mid-job: the first job has finished some steps but not all.
            var deadline = DateTime.UtcNow + StudioPages.Wait;
            while ((await user.GetJobAsync(ids[0])).GetProperty("step").GetInt32() < 2)
            {
                Assert.True(DateTime.UtcNow < deadline, "the first job never got going");
                await Task.Delay(20);
            }
        }
        finally
        {
            await first.KillAsync();
        }

        await using (var db = Open(sandbox))
        {
            var statuses = await db.Jobs.Where(j => ids.Contains(j.Id)).OrderBy(j => j.CreatedAt).Select(j => j.Status).ToListAsync();
            Assert.Equal([JobStatus.Running, JobStatus.Queued, JobStatus.Queued], statuses);
        }

        await using (var second = await StudioHost.StartAsync(sandbox.Options()))
        {
            var deadline = DateTime.UtcNow + StudioPages.Wait;
            while (true)
            {
                await using var db = Open(sandbox);
                if (await db.Jobs.CountAsync(j => ids.Contains(j.Id) && j.Status == JobStatus.Succeeded) == ids.Count)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"not every job finished after the restart. Server output:\n{second.Log}");
                await Task.Delay(100);
            }
        }

        await using var check = Open(sandbox);
        var jobs = await check.Jobs.Include(j => j.Images).Where(j => ids.Contains(j.Id)).OrderBy(j => j.CreatedAt).ToListAsync();
        Assert.Equal([2, 1, 1], jobs.Select(j => j.Attempts));
        Assert.All(jobs, j => Assert.Equal(2, j.Images.Count));
        Assert.All(jobs.SelectMany(j => j.Images), i => Assert.True(File.Exists(Path.Combine(sandbox.ImagesPath, i.FileName)), $"{i.FileName} is missing"));
        await check.Database.OpenConnectionAsync();
        await using var command = check.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", (string?)await command.ExecuteScalarAsync());
    }

    private static StudioDbContext Open(StudioSandbox sandbox) =>
        new(new DbContextOptionsBuilder<StudioDbContext>().UseSqlite(StudioDatabase.ConnectionString(sandbox.DatabasePath)).Options);
}
