using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using SixLabors.ImageSharp;
using WebStudio.Browser.Tests.Infrastructure;

namespace WebStudio.Browser.Tests;

/// <summary>
/// The studio end to end in headless chromium against the real server process: register, generate with live
/// previews, download the PNG, re-attach from a second tab, and no access to another account's job or images.
/// </summary>
public sealed class StudioBrowserTests(StudioFixture studio) : IClassFixture<StudioFixture>
{
    [Fact]
    public async Task Register_then_generate_shows_changing_previews_then_a_downloadable_png_with_its_parameters()
    {
        await using var context = await studio.Browser.NewContextAsync(studio.Server);
        await context.AddInitScriptAsync(StudioPages.PreviewRecorderScript);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(Register_then_generate_shows_changing_previews_then_a_downloadable_png_with_its_parameters), context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("painter"));
            const string prompt = "a red circle above a blue square";
            await StudioPages.FillPromptAsync(page, prompt);
            // The prompts count their tokens as A1111 does; a BREAK opens a second window of 75.
            await page.GetByText(new System.Text.RegularExpressions.Regex(@"^\d+/75 tokens$")).First.WaitForAsync(new() { Timeout = (float)StudioPages.Wait.TotalMilliseconds });
            await page.Locator("#negative-prompt").FillAsync("blurry BREAK blurry");
            await page.GetByText(new System.Text.RegularExpressions.Regex(@"^\d+/150 tokens$")).WaitForAsync(new() { Timeout = (float)StudioPages.Wait.TotalMilliseconds });
            await page.Locator("#negative-prompt").FillAsync("blurry");
            // The most steps there are, so that the run lasts long enough on CPU for previews (one per step) to be
            // watched even on a loaded machine.
            const int steps = 150;
            await StudioPages.FillNumberAsync(page, "steps", steps.ToString(CultureInfo.InvariantCulture));
            await StudioPages.FillNumberAsync(page, "seed", "4242");
            await StudioPages.GenerateAsync(page, prompt);

            var result = page.Locator("#results img.result-image");
            await result.WaitForAsync(new() { Timeout = (float)StudioPages.Wait.TotalMilliseconds });
            await page.WaitForFunctionAsync(
                "() => { const i = document.querySelector('#results img.result-image'); return i && i.complete && i.naturalWidth > 0; }",
                null,
                new() { Timeout = (float)StudioPages.Wait.TotalMilliseconds });

            var frames = await StudioPages.RecordedFramesAsync(page);
            var distinctBeforeResult = frames.Where(f => !f.ResultsShown && f.Hash is not null).Select(f => f.Hash).Distinct().Count();
            Assert.True(distinctBeforeResult >= 3, $"the live preview showed {distinctBeforeResult} different frames before the final image ({frames.Count} frames in all)");

            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("a[aria-label='Download']").First.ClickAsync());
            Assert.EndsWith(".png", download.SuggestedFilename, StringComparison.Ordinal);
            var downloaded = await File.ReadAllBytesAsync((await download.PathAsync())!);

            // The <img> shows the same file the download gives.
            var shown = await page.APIRequest.GetAsync((await result.GetAttributeAsync("src"))!);
            Assert.Equal(200, shown.Status);
            Assert.Equal("image/png", shown.Headers["content-type"]);
            Assert.Equal(downloaded, await shown.BodyAsync());

            var info = Image.Identify(downloaded);
            Assert.Equal((studio.ModelSize, studio.ModelSize), (info.Width, info.Height));
            var parameters = PngText.ReadTextChunks(downloaded)["parameters"];
            Assert.Equal(
                $"{prompt}\nNegative prompt: blurry\nSteps: {steps}, Sampler: Euler a, CFG scale: 7, Seed: 4242, Size: {studio.ModelSize}x{studio.ModelSize}, Model: {studio.ModelName}",
                parameters);
        });
    }

    [Fact]
    public async Task A_second_tab_opened_mid_run_reattaches_to_the_live_preview()
    {
        await using var context = await studio.Browser.NewContextAsync(studio.Server);
        var first = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(A_second_tab_opened_mid_run_reattaches_to_the_live_preview), context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(first, StudioFixture.NewEmail("watcher"));
            const string prompt = "two green triangles";
            await StudioPages.FillPromptAsync(first, prompt);
            // A run long enough for a second tab to open while it goes on.
            var (steps, size, batch) = studio.LongJob;
            await StudioPages.FillNumberAsync(first, "steps", steps.ToString(CultureInfo.InvariantCulture));
            if (size != studio.ModelSize)
            {
                await StudioPages.SelectAsync(first, "Size", $"{size} × {size}");
            }

            await StudioPages.FillNumberAsync(first, "batch", batch.ToString(CultureInfo.InvariantCulture));
            var jobId = await StudioPages.GenerateAsync(first, prompt);
            await StudioPages.WaitForPreviewFramesAsync(first, 1);

            var second = await context.NewPageAsync();
            await second.GotoAsync($"/?job={jobId}");
            await second.Locator($"#job-panel[data-job-id='{jobId}']").WaitForAsync(new() { Timeout = (float)StudioPages.Wait.TotalMilliseconds });

            // A picture at once (the last frame over HTTP), then the stream's frames as the steps go on.
            await StudioPages.WaitForPreviewFramesAsync(second, 1);
            // Frame count and step read together: on a slow machine more frames may have come before this read.
            var attached = await second.EvaluateAsync<int[]>("() => { const p = document.querySelector('#live-preview'); return [Number(p.dataset.frames), Number(p.dataset.step)]; }");
            var attachedAt = attached[1];
            await StudioPages.WaitForPreviewFramesAsync(second, attached[0] + 2);
            var later = int.Parse((await second.Locator("#live-preview").GetAttributeAsync("data-step"))!, CultureInfo.InvariantCulture);
            Assert.True(later > attachedAt, $"the second tab's preview stayed at step {attachedAt}");
            Assert.StartsWith("blob:", await second.Locator("#live-preview").GetAttributeAsync("src"), StringComparison.Ordinal);

            // Both views follow the job to its end.
            foreach (var page in new[] { first, second })
            {
                await page.Locator("#results img.result-image").First.WaitForAsync(new() { Timeout = (float)StudioPages.Wait.TotalMilliseconds });
            }
        });
    }

    [Fact]
    public async Task Another_user_cannot_open_the_first_users_job_or_image()
    {
        using var owner = await StudioHttpUser.RegisterAsync(studio.Server, StudioFixture.NewEmail("owner"));
        const string secret = "the owner's secret prompt";
        var jobId = await owner.SubmitAsync(new { prompt = secret, model = studio.ModelName, scheduler = "Euler a", steps = 4, guidance = 7, seed = 7, width = studio.ModelSize, height = studio.ModelSize, batchSize = 1 });
        var job = await owner.WaitForJobAsync(jobId);
        Assert.Equal("Succeeded", job.GetProperty("status").GetString());
        var imageUrl = job.GetProperty("images")[0].GetProperty("url").GetString()!;
        using (var own = await owner.Http.GetAsync(imageUrl))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        await using var context = await studio.Browser.NewContextAsync(studio.Server);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(Another_user_cannot_open_the_first_users_job_or_image), context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("intruder"));

            foreach (var url in new[] { imageUrl, $"/api/jobs/{jobId}", $"/api/jobs/{jobId}/preview" })
            {
                var response = await page.APIRequest.GetAsync(url);
                Assert.True(response.Status is 403 or 404, $"{url} answered {response.Status} to another user");
                Assert.DoesNotContain(secret, await response.TextAsync(), StringComparison.Ordinal);
            }

            var cancel = await page.APIRequest.PostAsync($"/api/jobs/{jobId}/cancel");
            Assert.Equal(404, cancel.Status);

            // The Generate page asked for the owner's job shows nothing of it.
            await page.GotoAsync($"/?job={jobId}");
            await page.Locator("#generate").WaitForAsync();
            Assert.Equal(0, await page.Locator($"#job-panel[data-job-id='{jobId}']").CountAsync());
            Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

            // Nor does the preview hub stream it.
            var watched = await page.EvaluateAsync<string>("""
                async id => {
                    const c = new signalR.HubConnectionBuilder().withUrl('/hubs/jobs').build();
                    await c.start();
                    try {
                        return await new Promise(done => c.stream('WatchJob', id).subscribe({
                            next: f => done('frame ' + f.status),
                            error: e => done('error ' + e),
                            complete: () => done('complete'),
                        }));
                    } finally { await c.stop(); }
                }
                """, jobId.ToString());
            Assert.StartsWith("error", watched, StringComparison.Ordinal);
            Assert.Contains("job not found", watched, StringComparison.Ordinal);
        });
    }
}
