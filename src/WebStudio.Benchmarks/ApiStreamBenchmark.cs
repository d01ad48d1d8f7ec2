using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using WebStudio.Testing;

namespace WebStudio.Benchmarks;

/// <summary>
/// The Images API's streamed generation as a client sees it: a 20-step generation (quality "medium") with 3
/// partial images, timed from the request to the first partial_image event and to the completed event. It talks
/// to a running server over loopback HTTP (start one, and make a key with
/// <c>dotnet run --project src/WebStudio.Web -- create-api-key --user bench</c>).
/// </summary>
public static class ApiStreamBenchmark
{
    public static async Task RunAsync(string url, string key, string model, string size, int runs, string? outputPath)
    {
        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        await StreamOnceAsync(client, model, size); // warm-up: model load and first-run costs are not the figure
        var first = new List<double>();
        var total = new List<double>();
        var partials = new List<int>();
        for (var i = 0; i < runs; i++)
        {
            var (firstMs, totalMs, count) = await StreamOnceAsync(client, model, size);
            first.Add(firstMs);
            total.Add(totalMs);
            partials.Add(count);
        }

        var report = string.Create(CultureInfo.InvariantCulture, $"""
            Images API, streamed generation: model {model}, size {size}, 20 steps (quality=medium), partial_images=3, {runs} runs after 1 warm-up
            server {url}
            time to first partial image: median {Percentiles.Median(first):0.0} ms (min {first.Min():0.0}, max {first.Max():0.0})
            total time to completed:     median {Percentiles.Median(total):0.0} ms (min {total.Min():0.0}, max {total.Max():0.0})
            partial images received per run: {string.Join(",", partials)}
            """);
        Console.WriteLine(report);
        if (outputPath is not null)
        {
            await File.AppendAllTextAsync(outputPath, report + Environment.NewLine + Environment.NewLine);
        }
    }

    private static async Task<(double FirstMs, double TotalMs, int Partials)> StreamOnceAsync(HttpClient client, string model, string size)
    {
        var body = JsonSerializer.Serialize(new { prompt = "a red circle on a blue square", model, size, quality = "medium", stream = true, partial_images = 3 });
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        double first = -1;
        var partials = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line == "event: image_generation.partial_image")
            {
                partials++;
                if (first < 0)
                {
                    first = clock.Elapsed.TotalMilliseconds;
                }
            }
            else if (line == "event: image_generation.completed")
            {
                await reader.ReadLineAsync(); // its data line, so the final image has arrived
                return (first, clock.Elapsed.TotalMilliseconds, partials);
            }
        }

        throw new InvalidOperationException("the stream ended without a completed event");
    }
}
