using WebStudio.Data.Configurations;
using WebStudio.Generation.Schedulers;
using WebStudio.Studio.Options;

namespace WebStudio.Studio.Queue;

/// <summary>
/// The queue's run order as SQL, in one place for the code and for the tests that check its query plans. Queued jobs
/// run by priority (move-to-front), then, under the fair policy, by round (<see cref="WebStudio.Data.GenerationJob.Round"/>),
/// then by age. Each order is a range scan of a partial index on queued jobs (GenerationJobConfiguration), on SQLite
/// and on PostgreSQL. Identifiers are quoted, status is compared with the literal the partial indexes name, so that
/// both planners match the index's condition.
/// </summary>
public static class QueueOrderSql
{
    /// <summary>The condition of a queued job (and of the partial indexes).</summary>
    public const string Queued = GenerationJobConfiguration.QueuedFilter;

    /// <summary>The partial index of each order (GenerationJobConfiguration).</summary>
    public const string FairIndex = GenerationJobConfiguration.QueuedFairIndex, FifoIndex = GenerationJobConfiguration.QueuedFifoIndex;

    /// <summary>The ORDER BY list of <paramref name="policy"/>, matching its index column for column.</summary>
    public static string OrderBy(QueuePolicy policy) => policy == QueuePolicy.Fifo
        ? "\"Priority\" DESC, \"CreatedAt\", \"Id\""
        : "\"Priority\" DESC, \"Round\", \"CreatedAt\", \"Id\"";

    /// <summary>True while an administrator has paused the queue (<see cref="WebStudio.Data.QueuePause"/>): one
    /// primary-key lookup in a table of at most one row, evaluated once per statement.</summary>
    public const string NotPaused = $"NOT EXISTS (SELECT 1 FROM \"{QueuePauseConfiguration.Table}\" WHERE \"Id\" = 1)";

    /// <summary>
    /// The claim's head: the first <c>@k</c> queued jobs in run order that the worker can run, none while the queue
    /// is paused (<see cref="NotPaused"/>, in the same statement, so a claim never starts a job after the pause). With
    /// <paramref name="filterModels"/>, only diffusion jobs whose model is in <c>@models</c> (PostgreSQL: a text
    /// array; SQLite: a JSON array) and jobs that need no diffusion model (upscales). On PostgreSQL the rows are
    /// locked, skipping rows other claims hold, so concurrent workers take different jobs without waiting.
    /// Columns: Id, OwnerId, Model, Round, Priority.
    /// </summary>
    public static string ClaimHead(bool postgres, QueuePolicy policy, bool filterModels)
    {
        var models = filterModels ? $" AND {Runnable(postgres)}" : "";
        // SQLite's planner, which gives little weight to LIMIT, may pick the status index and sort all queued jobs:
        // INDEXED BY holds it to the order's index (and fails loudly should that index ever be missing).
        var index = policy == QueuePolicy.Fifo ? FifoIndex : FairIndex;
        return "SELECT \"Id\", \"OwnerId\", \"Model\", \"Round\", \"Priority\" FROM \"GenerationJobs\""
            + (postgres ? "" : $" INDEXED BY \"{index}\"")
            + $" WHERE {Queued}{models} AND {NotPaused} ORDER BY {OrderBy(policy)} LIMIT @k"
            + (postgres ? " FOR UPDATE SKIP LOCKED" : "");
    }

    /// <summary>A job that a worker able to run the models of <c>@models</c> (PostgreSQL: a text array; SQLite: a JSON
    /// array) can take: one of those models, or one that needs no diffusion model (an upscale).</summary>
    private static string Runnable(bool postgres) => postgres
        ? "(\"Kind\" = 'Upscale' OR \"Model\" = ANY(@models))"
        : "(\"Kind\" = 'Upscale' OR \"Model\" IN (SELECT value FROM json_each(@models)))";

    /// <summary>
    /// A viewer's queued jobs with their place in the run order: Id, Position (1 = next) and Ms, the estimated time of
    /// the work up to and including the job, summed in run order (<see cref="WorkRates.TimeOf"/>): models
    /// <c>@model0</c>…<c>@model{n-1}</c> at their rates <c>@step0</c>, <c>@rest0</c>…, any other at <c>@step</c>,
    /// <c>@rest</c>. The database numbers the queue on the order's index and returns only <c>@owner</c>'s rows, so a
    /// queue page does not read the whole queue into memory. With <paramref name="servedOnly"/>, a job that no live
    /// worker can run (<see cref="Runnable"/>: <c>@models</c> are what the live workers offer) adds no time, as no
    /// claim takes it before the sweep fails it (UnservedJobs).
    /// </summary>
    public static string ViewerPositions(QueuePolicy policy, int models, bool postgres, bool servedOnly) =>
        "SELECT \"Id\", \"Position\", \"Ms\" FROM (SELECT \"Id\", \"OwnerId\", "
        + $"ROW_NUMBER() OVER (ORDER BY {OrderBy(policy)}) AS \"Position\", "
        + $"SUM({(servedOnly ? $"CASE WHEN {Runnable(postgres)} THEN 1 ELSE 0 END * " : "")}"
        + $"CAST(\"BatchSize\" AS DOUBLE PRECISION) * \"Width\" * \"Height\" * ({Work(CallsOf("Steps"), models)} "
        + $"+ COALESCE(\"HiresFactor\" * \"HiresFactor\" * ({Work(CallsOf("HiresSteps"), models)}), 0))) "
        + $"OVER (ORDER BY {OrderBy(policy)} ROWS UNBOUNDED PRECEDING) AS \"Ms\" "
        + $"FROM \"GenerationJobs\" WHERE {Queued}) AS \"q\" WHERE \"OwnerId\" = @owner ORDER BY \"Position\"";

    // One pass's time per pixel of one image: its model calls at the step rate, and the rest (text encoding, the VAE).
    // A hires fix's second pass adds its own at its enlarged pixels (null, and so nothing, for a job without one).
    private static string Work(string calls, int models) => $"{calls} * {RateOfModel("step", models)} + {RateOfModel("rest", models)}";

    // The model calls of a pass of the steps in the column named, as SchedulerNames.ModelCalls counts
    // them: a second-order sampler asks twice a step but the last, PLMS once more at its start.
    private static string CallsOf(string steps) => $"(CASE WHEN \"{steps}\" < 2 THEN \"{steps}\" "
        + $"WHEN \"Scheduler\" = '{SchedulerNames.Plms}' THEN \"{steps}\" + 1 "
        + $"WHEN \"Scheduler\" IN ({string.Join(", ", SchedulerNames.SecondOrder.Select(name => $"'{name}'"))}) THEN 2 * \"{steps}\" - 1 "
        + $"ELSE \"{steps}\" END)";

    // DOUBLE PRECISION is REAL to SQLite (its affinity rules) and float8 to PostgreSQL.
    private static string RateOfModel(string rate, int models) => models == 0
        ? $"CAST(@{rate} AS DOUBLE PRECISION)"
        : "CASE \"Model\" " + string.Concat(Enumerable.Range(0, models).Select(i => $"WHEN @model{i} THEN CAST(@{rate}{i} AS DOUBLE PRECISION) "))
            + $"ELSE CAST(@{rate} AS DOUBLE PRECISION) END";

    /// <summary>The models of the queued and running jobs, whose rates the ETAs need.</summary>
    public const string WaitingModels = "SELECT DISTINCT \"Model\" FROM \"GenerationJobs\" WHERE \"Status\" IN ('Queued', 'Running')";

    /// <summary>
    /// <c>@model</c>'s last <c>@n</c> measured runs, newest first (TotalMs, AverageStepMs, Steps, BatchSize, Width,
    /// Height, LoadMs, Scheduler): a backward range scan of the measured runs' partial index (GenerationJobConfiguration),
    /// never of the table. A run with a hires fix is left out: its time and mean step mix two sizes.
    /// </summary>
    public const string RecentRuns =
        "SELECT \"TotalMs\", \"AverageStepMs\", \"Steps\", \"BatchSize\", \"Width\", \"Height\", \"LoadMs\", \"Scheduler\" FROM \"GenerationJobs\" "
        + $"WHERE {GenerationJobConfiguration.MeasuredFilter} AND \"HiresFactor\" IS NULL AND \"Model\" = @model ORDER BY \"FinishedAt\" DESC LIMIT @n";

    /// <summary>
    /// <c>@model</c>'s last <c>@n</c> measured loads, newest first (LoadMs): a backward range scan of the loads' partial
    /// index, however many runs found the model loaded since.
    /// </summary>
    public const string RecentLoads =
        "SELECT \"LoadMs\" FROM \"GenerationJobs\" "
        + $"WHERE {GenerationJobConfiguration.LoadedFilter} AND \"Model\" = @model ORDER BY \"FinishedAt\" DESC LIMIT @n";

    /// <summary>
    /// The run position (1 = next) of each queued model's first job: Model, Position. A member's view adds the loads
    /// ahead of each of their jobs from it (<see cref="ModelLoadCharges.UpTo"/>); read only while a queued model has a
    /// load to charge.
    /// </summary>
    public static string FirstPositions(QueuePolicy policy) =>
        "SELECT \"Model\", MIN(\"Position\") FROM (SELECT \"Model\", "
        + $"ROW_NUMBER() OVER (ORDER BY {OrderBy(policy)}) AS \"Position\" FROM \"GenerationJobs\" WHERE {Queued}) AS \"q\" GROUP BY \"Model\"";

    /// <summary>
    /// PostgreSQL's claim in one statement, for the usual case: the head of the queue (<see cref="ClaimHead"/>, one
    /// row, locked, skipping rows other claims hold) is marked running for <c>@worker</c> with a new claim token, and
    /// its owner recorded as served, when the worker takes it whatever the rest of the window holds: <c>@take_any</c>
    /// (no preference: a window of 1 or nothing loaded), a job moved to the front, or a job for a model in
    /// <c>@loaded</c>. No row: the queue is empty, or the worker would rather look further (the transaction path).
    /// </summary>
    public static string ClaimHeadInOneStatement(QueuePolicy policy, bool filterModels) =>
        $"WITH \"head\" AS ({ClaimHead(postgres: true, policy, filterModels)}),"
        + """
         "claimed" AS (
            UPDATE "GenerationJobs" AS "j" SET "Status" = 'Running', "StartedAt" = @now, "WorkerId" = @worker,
                "LeaseExpiresAt" = @lease_end, "ClaimToken" = "j"."ClaimToken" + 1, "Attempts" = "j"."Attempts" + 1
            FROM "head" AS "h"
            WHERE "j"."Id" = "h"."Id" AND (@take_any OR "h"."Priority" > 0 OR "h"."Model" = ANY(@loaded))
            RETURNING "j".*),
        "served" AS (
            INSERT INTO "UserQueueStates" ("UserId", "LastServedAt", "LastServedRound")
            SELECT "OwnerId", @now, CASE WHEN "Priority" > 0 THEN 0 ELSE "Round" END FROM "claimed"
            ON CONFLICT ("UserId") DO UPDATE SET "LastServedAt" = excluded."LastServedAt",
                "LastServedRound" = GREATEST("UserQueueStates"."LastServedRound", excluded."LastServedRound"))
        SELECT * FROM "claimed"
        """;

    /// <summary>
    /// The round of a new job of <c>@owner</c>, read inside the submission's transaction (which holds the user's
    /// lock): the latest of the round being served now (the highest round served, 0 at first), one after the user's
    /// last queued round, and one after the round the user was last served in. Three index lookups. So each user's
    /// n-th queued job runs before anyone's (n+1)-th, and a new user's first job joins the round being served.
    /// </summary>
    public const string SubmitRound =
        "SELECT MAX(\"r\") FROM ("
        + "SELECT COALESCE(MAX(\"LastServedRound\"), 0) AS \"r\" FROM \"UserQueueStates\""
        + " UNION ALL SELECT MAX(\"Round\") + 1 FROM \"GenerationJobs\" WHERE \"OwnerId\" = @owner AND " + Queued
        + " UNION ALL SELECT \"LastServedRound\" + 1 FROM \"UserQueueStates\" WHERE \"UserId\" = @owner"
        + ") AS \"rounds\"";
}
