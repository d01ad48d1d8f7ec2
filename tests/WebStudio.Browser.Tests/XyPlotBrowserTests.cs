using Microsoft.Playwright;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Browser.Tests.Infrastructure;

namespace WebStudio.Browser.Tests;

/// <summary>A1111's X/Y/Z plot on the Generate page: a job per cell, laid out under the panel with the axes' values, a
/// grid per value of Z.</summary>
[Trait("Capability", "StudioCore")]
public sealed class XyPlotBrowserTests(StudioFixture studio) : IClassFixture<StudioFixture>
{
    private static readonly float Wait = (float)StudioPages.Wait.TotalMilliseconds;

    [Fact]
    public async Task A_plot_of_steps_against_prompt_words_by_sampler_runs_a_job_per_cell_shown_as_labelled_grids()
    {
        await using var context = await studio.Browser.NewContextAsync(studio.Server, 1400, 1000);
        var page = await context.NewPageAsync();
        await BrowserSession.RecordingFailuresAsync(nameof(A_plot_of_steps_against_prompt_words_by_sampler_runs_a_job_per_cell_shown_as_labelled_grids), context, studio.Server, async () =>
        {
            await StudioPages.RegisterAsync(page, StudioFixture.NewEmail("plot"));
            await StudioPages.FillPromptAsync(page, "a red circle");
            await page.GetByText("X/Y plot").ClickAsync();
            await StudioPages.SelectAsync(page, "X type", "Steps");
            await page.Locator("#plot-x-values").FillAsync("1-2");
            await StudioPages.SelectAsync(page, "Y type", "Prompt S/R");
            await page.Locator("#plot-y-values").FillAsync("red, blue");
            await Assertions.Expect(page.Locator("#plot-summary")).ToHaveTextAsync("2 × 2 cells: Generate queues a job for each.", new() { Timeout = Wait });
            await StudioPages.SelectAsync(page, "Z type", "Sampler");
            await page.Locator("#plot-z-values").FillAsync("Euler a, DDIM");
            await Assertions.Expect(page.Locator("#plot-summary")).ToHaveTextAsync("2 × 2 × 2 cells, a grid for each Sampler: Generate queues a job for each.", new() { Timeout = Wait });

            await page.Locator("button#generate").ClickAsync();

            await Assertions.Expect(page.Locator("#job-set-count")).ToHaveTextAsync("X/Y plot, Steps × Prompt S/R × Sampler: 8 of 8 done", new() { Timeout = 6 * Wait });
            Assert.Equal(["Sampler: Euler a", "Sampler: DDIM"], await page.Locator(".job-set-grid-title").AllTextContentsAsync());
            var ddim = page.Locator("#job-set-plot-2");
            await Assertions.Expect(ddim.Locator("td img")).ToHaveCountAsync(4, new() { Timeout = Wait });
            var table = page.Locator("#job-set-plot");
            Assert.Equal(["Prompt S/R ╲ Steps", "1", "2"], await table.Locator("thead th").AllTextContentsAsync());
            Assert.Equal(["red", "blue"], await table.Locator("tbody th").AllTextContentsAsync());
            await Assertions.Expect(table.Locator("td img")).ToHaveCountAsync(4, new() { Timeout = Wait });
            Assert.Equal(["a red circle · Steps: 1, Prompt S/R: red, Sampler: Euler a", "a red circle · Steps: 2, Prompt S/R: red, Sampler: Euler a",
                    "a blue circle · Steps: 1, Prompt S/R: blue, Sampler: Euler a", "a blue circle · Steps: 2, Prompt S/R: blue, Sampler: Euler a"],
                await table.Locator("td button").EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.title)"));
            Assert.StartsWith("a blue circle · Steps: 2, Prompt S/R: blue, Sampler: DDIM: ", await ddim.Locator("td button").Nth(3).GetAttributeAsync("aria-label"));

            // A cell opens its job: the blue row's second column ran 2 steps.
            await table.Locator("td button").Nth(3).ClickAsync();
            await Assertions.Expect(table.Locator("td button").Nth(3)).ToHaveAttributeAsync("aria-current", "true", new() { Timeout = Wait });
            var id = new Uri(page.Url).Query.Split("job=")[1];
            var job = await (await page.APIRequest.GetAsync($"/api/jobs/{id}")).JsonAsync();
            Assert.Equal(("a blue circle", 2), (job!.Value.GetProperty("prompt").GetString(), job.Value.GetProperty("steps").GetInt32()));
            await ddim.Locator("td button").Nth(0).ClickAsync();
            await Assertions.Expect(ddim.Locator("td button").Nth(0)).ToHaveAttributeAsync("aria-current", "true", new() { Timeout = Wait });
            var ddimJob = await (await page.APIRequest.GetAsync($"/api/jobs/{new Uri(page.Url).Query.Split("job=")[1]}")).JsonAsync();
            Assert.Equal(("DDIM", 1), (ddimJob!.Value.GetProperty("scheduler").GetString(), ddimJob.Value.GetProperty("steps").GetInt32()));

            // Save grid: one PNG of both grids, one over the other, each cell's picture at its own size beside labels.
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#save-plot-grid").ClickAsync());
            Assert.Matches(@"^xy-plot-\d{8}-\d{6}\.png$", download.SuggestedFilename);
            using var grid = Image.Load<Rgb24>(await File.ReadAllBytesAsync((await download.PathAsync())!));
            var side = studio.ModelSize;
            Assert.True(grid.Width > 2 * side && grid.Height > 4 * side && grid.Height % 2 == 0, $"a grid of {grid.Width} × {grid.Height}");
            var half = grid.Height / 2;
            await AssertPictureAtAsync(page, grid, table.Locator("td img").Nth(3), grid.Width - side, half - side);
            await AssertPictureAtAsync(page, grid, ddim.Locator("td img").Nth(2), grid.Width - 2 * side, grid.Height - side);
            await AssertPictureAtAsync(page, grid, ddim.Locator("td img").Nth(3), grid.Width - side, grid.Height - side);
            Assert.True(DarkPixels(grid, 0, 0, grid.Width, half - 2 * side) > 50, "the first grid's title and column labels are drawn over its cells");
            Assert.True(DarkPixels(grid, 0, half - 2 * side, grid.Width - 2 * side, half) > 50, "the row labels are drawn beside the cells");

            // It carries its first picture's A1111 parameters, as A1111's grids do, for the Generate page to read back.
            var first = (await table.Locator("td img").Nth(0).GetAttributeAsync("src"))!.Replace("/thumb", "", StringComparison.Ordinal);
            using var firstPicture = Image.Load<Rgb24>(await (await page.APIRequest.GetAsync(first)).BodyAsync());
            Assert.StartsWith("a red circle\n", Parameters(grid));
            Assert.Contains("Steps: 1, Sampler: Euler a", Parameters(grid));
            Assert.Equal(Parameters(firstPicture), Parameters(grid));
        });
    }

    private static string? Parameters(Image image) =>
        image.Metadata.GetPngMetadata().TextData.SingleOrDefault(t => t.Keyword == "parameters").Value;

    // The cell's full picture lies at (left, top) of the grid, pixel for pixel.
    private static async Task AssertPictureAtAsync(IPage page, Image<Rgb24> grid, ILocator thumb, int left, int top)
    {
        var source = (await thumb.GetAttributeAsync("src"))!.Replace("/thumb", "", StringComparison.Ordinal);
        using var picture = Image.Load<Rgb24>(await (await page.APIRequest.GetAsync(source)).BodyAsync());
        var worst = 0;
        for (var y = 0; y < picture.Height; y++)
        {
            for (var x = 0; x < picture.Width; x++)
            {
                var (a, b) = (picture[x, y], grid[left + x, top + y]);
                worst = Math.Max(worst, Math.Max(Math.Abs(a.R - b.R), Math.Max(Math.Abs(a.G - b.G), Math.Abs(a.B - b.B))));
            }
        }

        Assert.True(worst <= 2, $"{source} differs from the grid at ({left}, {top}) by {worst} in a channel");
    }

    private static int DarkPixels(Image<Rgb24> image, int left, int top, int right, int bottom)
    {
        var count = 0;
        for (var y = top; y < bottom; y++)
        {
            for (var x = left; x < right; x++)
            {
                var p = image[x, y];
                count += p.R + p.G + p.B < 200 ? 1 : 0;
            }
        }

        return count;
    }
}
