using static WebStudio.Benchmarks.BenchArgs;

namespace WebStudio.Benchmarks;

/// <summary>The scale-out benchmark's sizes: the full run (about 12 minutes on 2 cores), or --quick for a smoke run.</summary>
public sealed record ScaleOutSettings(
    bool Quick,
    int Steps,
    int[] WorkerCounts,
    int ThroughputJobs,
    int PreviewJobs,
    int ClaimUsers,
    int ClaimJobsPerUser,
    int Claimers,
    int LoadUsers,
    int MakespanRuns,
    int AloneJobs,
    int FillRows,
    int FillQueued,
    int FillUsers,
    int ClaimsEachAtScale,
    TimeSpan PacedJobLength,
    string[] Only)
{
    /// <summary>Sections to run (--only throughput,previews,claims,scale,makespan); all when none is named.</summary>
    public bool Runs(string section) => Only.Length == 0 || Only.Contains(section);

    public static ScaleOutSettings From(string[] args)
    {
        var quick = args.Contains("--quick");
        return new ScaleOutSettings(
            quick,
            Steps: Int(args, "--steps", quick ? 4 : 20),
            WorkerCounts: quick ? [1, 2] : [1, 2, 4],
            ThroughputJobs: Int(args, "--jobs", quick ? 6 : 40),
            PreviewJobs: Int(args, "--preview-jobs", quick ? 2 : 8),
            ClaimUsers: 20,
            ClaimJobsPerUser: quick ? 5 : 20,
            Claimers: 8,
            LoadUsers: Int(args, "--users", quick ? 4 : 50),
            MakespanRuns: quick ? 2 : 3,
            AloneJobs: Int(args, "--alone-jobs", quick ? 3 : 20),
            FillRows: Int(args, "--fill-rows", quick ? 20_000 : 1_000_000),
            FillQueued: Int(args, "--fill-queued", quick ? 2_000 : 100_000),
            FillUsers: Int(args, "--fill-users", quick ? 200 : 10_000),
            ClaimsEachAtScale: quick ? 5 : 50,
            // A 20-step job of the built-in model at 128² on these 2 cores (section 1 measures it): 0.13-0.14 s.
            PacedJobLength: TimeSpan.FromMilliseconds(Int(args, "--paced-ms", 135)),
            Only: Option(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? []);
    }

    public override string ToString() =>
        $"{(Quick ? "--quick" : "full")}: built-in model, {Steps} steps, {string.Join('/', WorkerCounts)} workers x {ThroughputJobs} jobs; "
        + $"{PreviewJobs} watched jobs a path; {Claimers} claimers over {ClaimUsers} users x {ClaimJobsPerUser} jobs; "
        + $"{LoadUsers} users x 2 jobs, {MakespanRuns} runs ({AloneJobs} jobs alone around each: the mean is the single-job time); "
        + $"at scale {FillRows:N0} jobs, {FillQueued:N0} queued, {FillUsers:N0} users, {ClaimsEachAtScale} claims a claimer (paced by ~{PacedJobLength.TotalMilliseconds:0} ms jobs: half as many)"
        + (Only.Length > 0 ? $"; only {string.Join(',', Only)}" : "");
}
