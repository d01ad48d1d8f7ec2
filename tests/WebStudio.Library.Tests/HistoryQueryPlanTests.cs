using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Data.Configurations;
using WebStudio.Library.Tests.Infrastructure;

namespace WebStudio.Library.Tests;

/// <summary>
/// History's queries as EF sends them (the soft-delete filter included) read an index in order: the first page of
/// 10,000 stops after its rows, and the filters' values read the index alone.
/// </summary>
[Trait("Capability", "StudioUx")]
public sealed class HistoryQueryPlanTests : IDisposable
{
    private readonly StudioHost _studio = StudioHost.Create(LibraryStudio.Options);

    public void Dispose() => _studio.Dispose();

    [Fact]
    public async Task The_history_page_query_reads_the_history_index_in_order_without_sorting()
    {
        await using var db = _studio.OpenDatabase();
        var query = db.Jobs.AsNoTracking().Where(j => j.OwnerId == "someone")
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id).Take(25);
        Assert.Contains("\"DeletedAt\" IS NULL", query.ToQueryString(), StringComparison.Ordinal);

        var plan = await PlanAsync(db, query.ToQueryString());

        Assert.Contains("IX_GenerationJobs_History", plan);
        Assert.DoesNotContain("TEMP B-TREE", plan);
    }

    [Fact]
    public async Task The_filter_values_are_read_from_covering_indexes()
    {
        await using var db = _studio.OpenDatabase();
        var mine = db.Jobs.AsNoTracking().IgnoreQueryFilters([SoftDeleteConfiguration.Filter]).Where(j => j.OwnerId == "someone");

        var models = await PlanAsync(db, mine.Select(j => j.Model).Distinct().ToQueryString());
        var schedulers = await PlanAsync(db, mine.Select(j => j.Scheduler).Distinct().ToQueryString());

        Assert.Contains("COVERING INDEX IX_GenerationJobs_History_Model", models);
        Assert.Contains("COVERING INDEX IX_GenerationJobs_History_Scheduler", schedulers);
    }

    /// <summary>SQLite's plan of EF's SQL; the ".param set" lines ToQueryString puts first are left out (unbound
    /// parameters are NULL, which changes no plan).</summary>
    private static async Task<string> PlanAsync(StudioDbContext db, string sql)
    {
        var statement = string.Join('\n', sql.Split('\n').Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + statement;
        var plan = "";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan += reader.GetString(3) + "\n";
        }

        return plan;
    }
}
