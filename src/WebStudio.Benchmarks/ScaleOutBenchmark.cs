using System.Diagnostics;
using WebStudio.Tests.Shared;

namespace WebStudio.Benchmarks;

/// <summary>
/// Issue 18's benchmark, every figure from one run on the built-in model, each worker with one ONNX thread per
/// operator: throughput with 1, 2 and 4 worker processes on PostgreSQL and Redis; preview delivery through Redis
/// against the in-process path; claim latency with 8 claimers; hand-over on one node and across nodes; the 50 × 2
/// makespan ratio in 3 runs; the claim at a million rows; PostgreSQL ÷ SQLite makespan; and what one PostgreSQL
/// primary can serve. PostgreSQL and Redis are started here on free loopback ports (the tests' fixtures) and removed
/// afterwards. Prints figures; asserts nothing.
/// </summary>
public static class ScaleOutBenchmark
{
    private const string Prompt = "a red circle above a blue square";

    public static async Task RunAsync(string[] args)
    {
        var settings = ScaleOutSettings.From(args);
        var total = Stopwatch.StartNew();
        var (modelsPath, model, native) = BenchModels.BuiltIn();
        object Parameters(long seed) => new { prompt = Prompt, model, scheduler = "Euler a", steps = settings.Steps, guidance = 7, seed, width = native, height = native, batchSize = 1 };

        Console.WriteLine($"# Scale-out benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Console.WriteLine($"cores: {Environment.ProcessorCount} (Environment.ProcessorCount), shared by PostgreSQL, Redis, the web nodes, the workers and this client");
        Console.WriteLine($"model: {model} ({modelsPath}), {native}x{native}, Euler a, CFG 7, batch 1, CPU, Generation:IntraOpThreads=1 and Queue:Workers=1 in every process");
        Console.WriteLine($"settings: {settings}");

        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await using var redis = await RedisServer.StartNewAsync();
        var folder = Directory.CreateTempSubdirectory("webstudio-scaleout-").FullName;
        Console.WriteLine($"servers: PostgreSQL on 127.0.0.1:{postgres.Port} (fsync off), Redis on {redis.Configuration}; files in {folder}");
        try
        {
            var run = new ScaleOutRun(settings, postgres, redis, folder, modelsPath, Parameters);
            if (settings.Runs("throughput"))
            {
                await run.ThroughputAsync();
            }

            if (settings.Runs("previews"))
            {
                await run.InProcessPreviewsAsync();
            }

            if (settings.Runs("claims"))
            {
                await run.ClaimsAsync();
            }

            if (settings.Runs("scale"))
            {
                await run.AtScaleAsync();
            }

            if (settings.Runs("makespan"))
            {
                await run.MakespanAsync();
            }

            run.Estimate();
        }
        finally
        {
            postgres.Dispose();
            Directory.Delete(folder, recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine($"total benchmark time {total.Elapsed.TotalSeconds:0} s");
    }
}
