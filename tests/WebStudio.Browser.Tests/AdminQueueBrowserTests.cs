using Microsoft.Playwright;
using WebStudio.Browser.Tests.Infrastructure;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Browser.Tests;

/// <summary>
/// The administrator's queue in headless chromium: they pause the queue with a reason, see a member's waiting job with
/// its owner, model and size, hold it and release it, and resume the queue, after which the job runs.
/// </summary>
[Trait("Capability", "TeamAdmin")]
public sealed class AdminQueueBrowserTests : OwnStudioTest
{
    [Fact]
    public async Task The_administrator_pauses_the_queue_holds_and_releases_a_members_job_and_resumes()
    {
        await using var context = await Browser.NewContextAsync(Server);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(The_administrator_pauses_the_queue_holds_and_releases_a_members_job_and_resumes), context, Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("admin")); // the first account
            using var member = await StudioHttpUser.RegisterAsync(Server, StudioFixture.NewEmail("member"));

            await page.GotoAsync("/queue");
            await StudioPages.WaitForCircuitAsync(page);
            await page.Locator("input#pause-reason, #pause-reason input").First.FillAsync("switching models");
            await page.Locator("#pause-queue").ClickAsync();
            var paused = page.Locator("#queue-paused");
            await Assertions.Expect(paused).ToContainTextAsync("switching models", new() { Timeout = 30_000 });

            var jobId = await member.SubmitAsync(new { prompt = "a red circle", model = StudioSandbox.TinyModelName, scheduler = "Euler a", steps = 2, guidance = 7, seed = 1, batchSize = 1 });
            var row = page.Locator($"tr[data-job-id='{jobId}']");
            await Assertions.Expect(row.Locator(".queue-user")).ToHaveTextAsync(member.Email, new() { Timeout = 30_000 });
            await Assertions.Expect(row.Locator(".queue-model")).ToHaveTextAsync(StudioSandbox.TinyModelName);
            await Assertions.Expect(row.Locator(".queue-prompt")).ToHaveTextAsync("a red circle");

            await row.Locator(".hold-job").ClickAsync();
            await Assertions.Expect(row.Locator(".queue-state")).ToHaveTextAsync("held by an administrator", new() { Timeout = 30_000 });
            Assert.Equal("Held", (await member.GetJobAsync(jobId)).GetProperty("status").GetString());
            await row.Locator(".release-job").ClickAsync();
            await Assertions.Expect(row.Locator(".queue-state")).ToHaveTextAsync("queued", new() { Timeout = 30_000 });

            await page.Locator("#resume-queue").ClickAsync();
            await Assertions.Expect(paused).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            var deadline = DateTime.UtcNow + StudioPages.Wait;
            while ((await member.GetJobAsync(jobId)).GetProperty("status").GetString() != "Succeeded")
            {
                Assert.True(DateTime.UtcNow < deadline, "the job did not run after the resume");
                await Task.Delay(100);
            }

            await page.GotoAsync("/admin/audit");
            await Assertions.Expect(page.Locator("tr.audit-row").First).ToContainTextAsync("queue.resume", new() { Timeout = 30_000 });
        });
    }
}
