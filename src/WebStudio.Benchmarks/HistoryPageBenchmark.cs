using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WebStudio.Data;
using WebStudio.Testing;
using static WebStudio.Benchmarks.BenchArgs;

namespace WebStudio.Benchmarks;

/// <summary>
/// Issue 20, defect 10: the History page of a user with 10,000 images, timed to its first thumbnails. One real job
/// makes a PNG; 10,000 jobs with an image each are then written straight into the database (all pointing at that
/// file, so every thumbnail is still made from a real image). Measured over loopback: the page's HTML, the first
/// page of thumbnails over HTTP (cold: made now; warm: cached), and in headless chromium the time from navigation
/// to the first 8 thumbnails decoded, cold and warm.
/// </summary>
public static class HistoryPageBenchmark
{
    public static async Task RunAsync(string[] options)
    {
        var count = int.Parse(Option(options, "--images") ?? "10000", CultureInfo.InvariantCulture);
        var runs = int.Parse(Option(options, "--runs") ?? "7", CultureInfo.InvariantCulture);
        var models = Path.GetFullPath(Option(options, "--models") ?? "models");
        var folder = Directory.CreateTempSubdirectory("webstudio-history-bench").FullName;
        try
        {
            // --server: another build's WebStudio.Web.dll, to compare two builds in the same minute on a shared machine.
            await using var server = await StudioBenchServer.StartAsync(folder, models, useCuda: false, Option(options, "--server"));
            // The first account is the administrator: the measured one is a member, as most of a team is.
            (await StudioBenchUser.RegisterAsync(server.BaseAddress, $"admin-{Guid.NewGuid():N}@bench.test")).Dispose();

            var email = $"history-{Guid.NewGuid():N}@bench.test";
            using var user = await StudioBenchUser.RegisterAsync(server.BaseAddress, email);
            var file = await OneRealImageAsync(user);
            var seeded = Stopwatch.StartNew();
            await SeedAsync(Path.Combine(folder, "studio.db"), email, file, count);
            Console.WriteLine($"seeded {count} jobs with an image each in {seeded.Elapsed.TotalSeconds:0.0} s");

            // The HTML of the page (prerendered with the first page of items) and the thumbnails it names.
            var html = new List<double>();
            string page = "";
            for (var i = 0; i < runs; i++)
            {
                var watch = Stopwatch.StartNew();
                page = await user.Http.GetStringAsync("/history");
                html.Add(watch.Elapsed.TotalMilliseconds);
            }

            var thumbs = System.Text.RegularExpressions.Regex.Matches(page, "/api/images/([0-9a-f-]{36})/thumb", System.Text.RegularExpressions.RegexOptions.NonBacktracking).Select(m => m.Value).Distinct().ToList();
            Console.WriteLine($"GET /history: {thumbs.Count} thumbnails on the first page, {page.Length / 1024} KiB of HTML; HTML median {Percentiles.Median(html):0.0} ms, max {html.Max():0.0} ms ({runs} runs)");
            if (Environment.GetEnvironmentVariable("HISTORY_BENCH_TRACE") is not null)
            {
                await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "history-page.html"), page);
            }

            var cold = await FetchAllAsync(user.Http, thumbs.Take(24).ToList());
            var warm = await FetchAllAsync(user.Http, thumbs.Take(24).ToList());
            Console.WriteLine($"first 24 thumbnails over HTTP, 6 at a time: cold (made now) {cold:0.0} ms, warm (cached) {warm:0.0} ms");

            await BrowserAsync(server.BaseAddress, email, runs);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open: the temp folder is cleaned by the system.
            }
        }
    }

    private static async Task<string> OneRealImageAsync(StudioBenchUser user)
    {
        var response = await user.Http.PostAsync("/api/jobs", System.Net.Http.Json.JsonContent.Create(new
        {
            prompt = "a red circle above a blue square", model = "webstudio-shapes", scheduler = "Euler a", steps = 10, guidance = 7, seed = 7,
            width = 128, height = 128, batchSize = 1,
        }));
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"the job was refused: {await response.Content.ReadAsStringAsync()}");
        }

        var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        while (true)
        {
            var job = await user.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/jobs/{id}");
            if (job.GetProperty("status").GetString() is "Succeeded")
            {
                return id.ToString();
            }

            await Task.Delay(100);
        }
    }

    private static async Task SeedAsync(string databasePath, string email, string jobId, int count)
    {
        var builder = new DbContextOptionsBuilder<StudioDbContext>();
        builder.UseStudioSqlite(StudioDatabase.ConnectionString(databasePath));
        var options = builder.Options;
        await using var db = new StudioDbContext(options);
        var owner = await db.Users.SingleAsync(u => u.Email == email);
        var real = await db.Images.AsNoTracking().SingleAsync(i => i.JobId == Guid.Parse(jobId));
        var start = DateTime.UtcNow.AddDays(-60);
        for (var batch = 0; batch < count; batch += 1000)
        {
            for (var i = batch; i < Math.Min(count, batch + 1000); i++)
            {
                var job = new GenerationJob
                {
                    OwnerId = owner.Id, Prompt = $"seeded prompt {i}", Model = "webstudio-shapes", Scheduler = i % 2 == 0 ? "Euler a" : "DDIM",
                    Status = JobStatus.Succeeded, Width = 128, Height = 128, Seed = i, Steps = 20, CreatedAt = start.AddSeconds(i), FinishedAt = start.AddSeconds(i + 1),
                    Spec = "{}", // history never reads it; only a re-run would
                };
                job.Images.Add(new GeneratedImage
                {
                    OwnerId = owner.Id, Seed = i, Width = 128, Height = 128, FileName = real.FileName, CreatedAt = job.CreatedAt,
                });
                db.Jobs.Add(job);
            }

            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    private static async Task<double> FetchAllAsync(HttpClient http, List<string> urls)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(urls, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (url, ct) =>
        {
            using var response = await http.GetAsync(url, ct);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync(ct);
        });
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>Navigation to the first 8 thumbnails decoded, as the browser's own clock reads it.</summary>
    private static async Task BrowserAsync(Uri baseAddress, string email, int runs)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new() { BaseURL = baseAddress.ToString().TrimEnd('/'), ViewportSize = new() { Width = 1400, Height = 900 } });
        var tab = await context.NewPageAsync();
        await tab.GotoAsync("/Account/Login");
        await tab.Locator("[id='Input.Email']").FillAsync(email);
        await tab.Locator("[id='Input.Password']").FillAsync(StudioBenchUser.Password);
        await tab.Locator("#login-submit").ClickAsync();
        await tab.Locator("#generate").WaitForAsync();

        const string FirstThumbnails = """
            () => { const t = [...document.querySelectorAll('img.history-thumb')].slice(0, 8);
                    return t.length === 8 && t.every(i => i.complete && i.naturalWidth > 0) ? performance.now() : null; }
            """;
        // One tab for every visit, as a person reloads or types the address: a new tab each time made Chromium load its
        // own omnibox WebUI (about 1 s of a core per tab on this 2-core machine) during the very visit being timed.
        var devTools = await context.NewCDPSessionAsync(tab);
        await devTools.SendAsync("Performance.enable");
        var times = new List<double>();
        var breakdown = new List<double[]>();
        var mainThread = new List<double[]>();
        for (var i = 0; i < runs; i++)
        {
            await tab.GotoAsync("about:blank");
            var before = await MainThreadMsAsync(devTools);
            var trace = Environment.GetEnvironmentVariable("HISTORY_BENCH_TRACE") is null ? null : await MainThreadTrace.StartAsync(devTools);
            await tab.GotoAsync("/history", new() { WaitUntil = WaitUntilState.Commit });
            var handle = await tab.WaitForFunctionAsync(FirstThumbnails, null, new() { PollingInterval = 5, Timeout = 60_000 });
            times.Add(await handle.JsonValueAsync<double>());
            // Where the time goes: the HTML, the styles and scripts (render- and parser-blocking), the first paint, the
            // thumbnails' requests, and when the 8th thumbnail was painted (Element Timing, the browser's own record).
            var parts = await tab.EvaluateAsync<double[]>("""
                async () => { const n = performance.getEntriesByType('navigation')[0];
                        const r = performance.getEntriesByType('resource');
                        const t = r.filter(e => e.name.includes('/thumb'));
                        const blocking = r.filter(e => /\.(css|js)(\?|$)/.test(e.name));
                        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
                        const painted = await new Promise(done => {
                            new PerformanceObserver(list => done(list.getEntries().map(e => e.renderTime || e.loadTime).sort((a, b) => a - b)))
                                .observe({ type: 'element', buffered: true });
                            setTimeout(() => done([]), 1000); });
                        return [n.responseStart, n.responseEnd, blocking.length ? Math.max(...blocking.map(e => e.responseEnd)) : -1, fcp ? fcp.startTime : -1,
                                n.domContentLoadedEventEnd, t.length ? Math.min(...t.map(e => e.startTime)) : -1,
                                t.length ? Math.max(...t.slice(0, 8).map(e => e.responseEnd)) : -1, painted.length >= 8 ? painted[7] : -1,
                                r.filter(e => e.startTime < (fcp ? fcp.startTime : Infinity) && e.transferSize > 0).length,
                                r.filter(e => e.startTime < (fcp ? fcp.startTime : Infinity)).reduce((sum, e) => sum + e.transferSize, 0) / 1024]; }
                """);
            breakdown.Add(parts);
            if (trace is not null)
            {
                Console.WriteLine($"  visit {i}, main thread: {await trace.StopAsync(Path.Combine(Path.GetTempPath(), $"history-trace-{i}.json"))}");
            }

            var after = await MainThreadMsAsync(devTools);
            mainThread.Add([.. after.Zip(before, (a, b) => a - b)]);
            // HISTORY_BENCH_DEBUG=1: every request of the visit (start-first byte-end, bytes over the network; 0 = cache).
            if (Environment.GetEnvironmentVariable("HISTORY_BENCH_DEBUG") is not null)
            {
                Console.WriteLine(await tab.EvaluateAsync<string>("() => performance.getEntriesByType('resource').map(e => `${e.name.split('/').slice(3).join('/').slice(0, 50)} ${e.startTime.toFixed(0)}-${e.responseStart.toFixed(0)}-${e.responseEnd.toFixed(0)} ${e.transferSize}`).join('\\n')"));
            }
        }

        Console.WriteLine("  per visit (ms): HTML first byte / HTML received / styles+scripts received / first paint / DOM ready / first thumbnail requested / 8th thumbnail received / 8th thumbnail painted / requests to the server before the first paint / their KiB: " +
            string.Join("; ", breakdown.Select(b => string.Join(" / ", b.Select(v => v.ToString("0", CultureInfo.InvariantCulture))))));
        Console.WriteLine("  main thread per visit (ms), script / style / layout / all tasks: " +
            string.Join("; ", mainThread.Select(b => string.Join(" / ", b.Select(v => v.ToString("0", CultureInfo.InvariantCulture))))));
        Console.WriteLine($"chromium, navigation to the first 8 thumbnails decoded: first visit {times[0]:0} ms; " +
            $"later visits median {Percentiles.Median(times.Skip(1).ToList()):0} ms, max {times.Skip(1).Max():0} ms ({runs - 1} runs)");

        // The way a person usually gets there: the top bar's History link, inside the running studio (the circuit renders
        // the page; no new document). Timed from the click to the first 8 thumbnails decoded.
        var inApp = new List<double>();
        var inAppParts = new List<double[]>();
        for (var i = 0; i < runs; i++)
        {
            await tab.GotoAsync("/");
            await tab.Locator("#circuit-live").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            var link = tab.Locator("a[data-nav='history']:visible").First;
            var clickTrace = Environment.GetEnvironmentVariable("HISTORY_BENCH_TRACE") is null ? null : await MainThreadTrace.StartAsync(devTools);
            var start = await tab.EvaluateAsync<double>("() => performance.now()");
            await link.ClickAsync();
            var handle = await tab.WaitForFunctionAsync(FirstThumbnails, null, new() { PollingInterval = 5, Timeout = 60_000 });
            inApp.Add(await handle.JsonValueAsync<double>() - start);
            if (clickTrace is not null)
            {
                Console.WriteLine($"  click {i}, main thread: {await clickTrace.StopAsync(Path.Combine(Path.GetTempPath(), $"history-click-trace-{i}.json"))}");
            }

            // Where it goes: the circuit's render reaching the page (first thumbnail requested) and the thumbnails' loads.
            inAppParts.Add(await tab.EvaluateAsync<double[]>("""
                start => { const t = performance.getEntriesByType('resource').filter(e => e.name.includes('/thumb') && e.startTime >= start);
                           return t.length ? [Math.min(...t.map(e => e.startTime)) - start, Math.max(...t.slice(0, 8).map(e => e.responseEnd)) - start] : [-1, -1]; }
                """, start));
        }

        Console.WriteLine("  per click (ms): first thumbnail requested / 8th thumbnail received: " +
            string.Join("; ", inAppParts.Select(b => string.Join(" / ", b.Select(v => v.ToString("0", CultureInfo.InvariantCulture))))));

        Console.WriteLine($"chromium, the top bar's History link to the first 8 thumbnails decoded: median {Percentiles.Median(inApp):0} ms, max {inApp.Max():0} ms ({runs} runs)");
    }

    /// <summary>The renderer's cumulative script, style, layout and task time (ms), from the DevTools protocol.</summary>
    private static async Task<double[]> MainThreadMsAsync(ICDPSession devTools)
    {
        var metrics = (await devTools.SendAsync("Performance.getMetrics"))!.Value.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
        return [.. new[] { "ScriptDuration", "RecalcStyleDuration", "LayoutDuration", "TaskDuration" }.Select(name => metrics.GetValueOrDefault(name) * 1000)];
    }
}
