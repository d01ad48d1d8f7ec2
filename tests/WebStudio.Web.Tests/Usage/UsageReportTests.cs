using System.Net;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Usage;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.Usage;

/// <summary>The administrator's usage page (/admin/usage) and its CSV export, on jobs and their usage records written
/// straight into the database.</summary>
[Trait("Capability", "TeamAdmin")]
public sealed class UsageReportTests
{
    private const string Range = "from=2026-11-01&to=2026-11-15";

    [Fact]
    public async Task The_csv_totals_jobs_images_step_pixels_and_worker_time_per_user_and_week()
    {
        await using var studio = await UsageStudio.StartAsync();

        var csv = await studio.Admin.Http.GetStringAsync($"/admin/usage.csv?{Range}&period=week&group=user");

        // alice, week of Monday 2 November: two batches of 2 (10 steps), a deleted job (1 image, 10 steps) and a
        // failed one (no image); admin, week of 9 November: one image of 20 steps. All 64×64 = 4,096 pixels.
        Assert.Equal(
            "period_start,period,user,jobs,images,step_pixels,worker_seconds\r\n" +
            "2026-11-09,week,admin@example.test,1,1,81920,2\r\n" +
            "2026-11-02,week,alice@example.test,4,5,204800,4\r\n",
            csv);
    }

    [Fact]
    public async Task The_csv_groups_by_model_and_day_and_leaves_out_jobs_that_did_not_finish_in_the_range()
    {
        await using var studio = await UsageStudio.StartAsync();

        var csv = await studio.Admin.Http.GetStringAsync($"/admin/usage.csv?{Range}&period=day&group=model");

        Assert.Equal(
            "period_start,period,model,jobs,images,step_pixels,worker_seconds\r\n" +
            "2026-11-10,day,other,1,1,81920,2\r\n" +
            "2026-11-04,day,tiny,1,0,0,0.5\r\n" +
            "2026-11-03,day,tiny,1,1,40960,0.5\r\n" +
            "2026-11-02,day,tiny,2,4,163840,3\r\n",
            csv);
    }

    [Fact]
    public async Task The_page_shows_the_chart_and_the_totals_per_user()
    {
        await using var studio = await UsageStudio.StartAsync();

        using var response = await studio.Admin.Http.GetAsync($"/admin/usage?{Range}&period=week");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"usage-chart\"", page);
        Assert.Contains("<svg", page);
        Assert.Contains("alice@example.test", page);
        Assert.Contains($"/admin/usage.csv?{Range}&period=week&group=user", WebUtility.HtmlDecode(page));
        Assert.Contains("<td>0.2</td>", page); // alice's 204,800 steps × pixels, in megapixels
        // What the page shows is marked: by user and weekly (the 15 days asked for are none of the range buttons).
        var chosen = System.Text.RegularExpressions.Regex.Matches(page, "<a [^>]*aria-current=\"true\"[^>]*>[\\s\\S]*?</a>").Select(m => m.Value).ToList();
        Assert.Equal(2, chosen.Count);
        Assert.Contains("By user", chosen[0]);
        Assert.Contains("Weekly", chosen[1]);
        Assert.Contains("worker time in seconds", page); // 4 s the largest week
    }

    [Fact]
    public async Task A_member_gets_403_from_the_page_and_the_export_and_bad_input_gets_a_clear_400()
    {
        await using var studio = await UsageStudio.StartAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await studio.Alice.Http.GetAsync("/admin/usage")).StatusCode);
        using var export = await studio.Alice.Http.GetAsync($"/admin/usage.csv?{Range}");
        Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
        Assert.DoesNotContain("alice", await export.Content.ReadAsStringAsync());

        using var badDate = await studio.Admin.Http.GetAsync("/admin/usage.csv?from=11/01/2026");
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("yyyy-MM-dd", await badDate.Content.ReadAsStringAsync());
        using var badPeriod = await studio.Admin.Http.GetAsync("/admin/usage.csv?period=month");
        Assert.Contains("period must be day or week", await badPeriod.Content.ReadAsStringAsync());
        using var tooLong = await studio.Admin.Http.GetAsync("/admin/usage.csv?from=2020-01-01&to=2026-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var page = await studio.Admin.Http.GetStringAsync("/admin/usage?to=2026-13-01");
        Assert.Contains("usage-error", page);
    }

    [Fact]
    public void Weeks_start_on_monday()
    {
        Assert.Equal(new DateOnly(2026, 11, 2), UsageMetering.PeriodStart(new DateOnly(2026, 11, 8), UsagePeriod.Week));
        Assert.Equal(new DateOnly(2026, 11, 2), UsageMetering.PeriodStart(new DateOnly(2026, 11, 2), UsagePeriod.Week));
        Assert.Equal(new DateOnly(2026, 11, 8), UsageMetering.PeriodStart(new DateOnly(2026, 11, 8), UsagePeriod.Day));
    }

    /// <summary>An administrator and alice, with finished jobs written into the database (and some that must not count).</summary>
    private sealed class UsageStudio : IAsyncDisposable
    {
        private readonly TempFolder _folder = new();

        // Deleted history stays until the undo window passes: long enough here that the sweep leaves the seeded row.
        private UsageStudio() => Host = ScriptedStudio.Create(_folder, settings: new Dictionary<string, string?> { ["Storage:DeleteUndoWindow"] = "1.00:00:00" });

        public StudioHost Host { get; }

        public StudioUserClient Admin { get; private set; } = null!;

        public StudioUserClient Alice { get; private set; } = null!;

        public static async Task<UsageStudio> StartAsync()
        {
            var studio = new UsageStudio();
            studio.Admin = await StudioUserClient.RegisterAsync(studio.Host, "admin");
            studio.Alice = await StudioUserClient.RegisterAsync(studio.Host, "alice");
            await using var db = studio.Host.OpenDatabase();
            var admin = (await db.Users.SingleAsync(u => u.Email == "admin@example.test")).Id;
            var alice = (await db.Users.SingleAsync(u => u.Email == "alice@example.test")).Id;
            GenerationJob[] jobs = [
                Job(alice, "tiny", JobStatus.Succeeded, new DateTime(2026, 11, 2, 9, 0, 0), steps: 10, batch: 2, ms: 1500),
                Job(alice, "tiny", JobStatus.Succeeded, new DateTime(2026, 11, 2, 23, 59, 0), steps: 10, batch: 2, ms: 1500),
                Job(alice, "tiny", JobStatus.Succeeded, new DateTime(2026, 11, 3, 12, 0, 0), steps: 10, batch: 1, ms: 500, deleted: true),
                Job(alice, "tiny", JobStatus.Failed, new DateTime(2026, 11, 4, 12, 0, 0), steps: 10, batch: 1, ms: 500),
                Job(admin, "other", JobStatus.Succeeded, new DateTime(2026, 11, 10, 0, 0, 0), steps: 20, batch: 1, ms: 2000),
                Job(alice, "tiny", JobStatus.Succeeded, new DateTime(2026, 10, 31, 23, 59, 0), steps: 10, batch: 1, ms: 999), // before the range
                Job(alice, "tiny", JobStatus.Succeeded, new DateTime(2026, 11, 16, 0, 0, 0), steps: 10, batch: 1, ms: 999), // after it
                Job(alice, "tiny", JobStatus.Canceled, new DateTime(2026, 11, 5, 0, 0, 0), steps: 10, batch: 1, ms: null, started: false), // canceled while queued
                Job(alice, "tiny", JobStatus.Queued, null, steps: 10, batch: 1, ms: null, started: false)];
            db.Jobs.AddRange(jobs);
            // The records the studio writes as a job that ran ends (the report reads these, not the jobs).
            var names = await db.Users.ToDictionaryAsync(u => u.Id, u => u.UserName!);
            db.UsageRecords.AddRange(jobs.Where(j => j.StartedAt is not null && j.FinishedAt is not null).Select(j => UsageRecord.Of(j, names[j.OwnerId])));
            await db.SaveChangesAsync();
            return studio;
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            _folder.Dispose();
        }

        private static GenerationJob Job(string owner, string model, JobStatus status, DateTime? finished, int steps, int batch, double? ms, bool deleted = false, bool started = true) => new()
        {
            OwnerId = owner, Model = model, Status = status, Steps = steps, BatchSize = batch, Width = 64, Height = 64, Prompt = "seeded", Spec = "{}",
            CreatedAt = new DateTime(2026, 10, 30, 0, 0, 0, DateTimeKind.Utc),
            StartedAt = started ? new DateTime(2026, 10, 30, 0, 0, 0, DateTimeKind.Utc) : null,
            FinishedAt = finished is { } f ? DateTime.SpecifyKind(f, DateTimeKind.Utc) : null,
            TotalMs = ms,
            DeletedAt = deleted ? DateTime.UtcNow : null,
        };
    }
}
