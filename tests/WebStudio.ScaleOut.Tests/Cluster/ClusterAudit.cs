using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;

namespace WebStudio.ScaleOut.Tests.Cluster;

/// <summary>
/// What a cluster's database and image folder must look like once every job has ended, whatever was killed on the
/// way: one SQL statement per rule (the same text on PostgreSQL and SQLite), each listing what breaks it, and the
/// image files against their rows. <see cref="Problems"/> is empty when all hold.
/// </summary>
public static class ClusterAudit
{
    /// <summary>Each rule: its name, and a query of the rows that break it (one text column: what is wrong).</summary>
    public static readonly IReadOnlyList<(string Rule, string Sql)> Rules =
    [
        ("every job ended, succeeded or failed",
            """SELECT j."Id" || ' ' || j."Status" FROM "GenerationJobs" j WHERE j."Status" NOT IN ('Succeeded', 'Failed')"""),
        ("a failed job says why",
            """SELECT CAST(j."Id" AS TEXT) FROM "GenerationJobs" j WHERE j."Status" = 'Failed' AND COALESCE(j."FailureReason", '') = ''"""),
        ("a succeeded job has exactly its batch of image rows, any other none",
            """
            SELECT j."Id" || ' ' || j."Status" || ' has ' || CAST((SELECT count(*) FROM "GeneratedImages" i WHERE i."JobId" = j."Id") AS TEXT) || ' image rows'
            FROM "GenerationJobs" j
            WHERE (SELECT count(*) FROM "GeneratedImages" i WHERE i."JobId" = j."Id") <> CASE WHEN j."Status" = 'Succeeded' THEN j."BatchSize" ELSE 0 END
            """),
        ("no two image rows for one place in a batch",
            """SELECT i."JobId" || ' #' || CAST(i."Index" AS TEXT) FROM "GeneratedImages" i GROUP BY i."JobId", i."Index" HAVING count(*) > 1"""),
        ("no image without its job",
            """SELECT CAST(i."Id" AS TEXT) FROM "GeneratedImages" i WHERE NOT EXISTS (SELECT 1 FROM "GenerationJobs" j WHERE j."Id" = i."JobId")"""),
        ("no image of someone other than its job's owner",
            """SELECT CAST(i."Id" AS TEXT) FROM "GeneratedImages" i JOIN "GenerationJobs" j ON j."Id" = i."JobId" WHERE i."OwnerId" <> j."OwnerId" """),
        ("no lease held once every job has ended",
            """
            SELECT j."Id" || ' ' || j."Status" || ' leased to ' || COALESCE(j."WorkerId", '(none)')
                || CASE WHEN w."Id" IS NULL THEN ' (no such worker)' ELSE ' (pid ' || CAST(w."ProcessId" AS TEXT) || ')' END
            FROM "GenerationJobs" j LEFT JOIN "Workers" w ON w."Id" = j."WorkerId"
            WHERE j."LeaseExpiresAt" IS NOT NULL OR j."Status" = 'Running'
            """),
        ("no live preview left of an ended job",
            """SELECT CAST(p."JobId" AS TEXT) FROM "JobPreviews" p WHERE NOT EXISTS (SELECT 1 FROM "GenerationJobs" j WHERE j."Id" = p."JobId" AND j."Status" = 'Running')"""),
    ];

    /// <summary>Every broken rule with what breaks it; empty when the cluster is sound.</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(StudioCluster cluster)
    {
        var problems = new List<string>();
        await using var db = cluster.OpenDatabase();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var (rule, sql) in Rules)
        {
            var rows = await ReadAsync(connection, sql);
            if (rows.Count > 0)
            {
                problems.Add($"{rule}: {rows.Count} broken ({string.Join("; ", rows.Take(5))})");
            }
        }

        // Files and rows: each stored PNG has its row and each row its file; no half-written file is left.
        var rowFiles = (await db.Images.AsNoTracking().Select(i => i.FileName).ToListAsync()).ToHashSet(StringComparer.Ordinal);
        var files = Directory.Exists(cluster.ImagesPath)
            ? Directory.EnumerateFiles(cluster.ImagesPath, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(cluster.ImagesPath, f).Replace('\\', '/')).ToList()
            : [];
        var orphanFiles = files.Where(f => !rowFiles.Contains(f)).ToList();
        if (orphanFiles.Count > 0)
        {
            problems.Add($"image files without a row: {orphanFiles.Count} ({string.Join("; ", orphanFiles.Take(5))})");
        }

        var missing = rowFiles.Where(f => !files.Contains(f)).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"image rows without their file: {missing.Count} ({string.Join("; ", missing.Take(5))})");
        }

        return problems;
    }

    /// <summary>SQLite's own check of the file: "ok" when sound.</summary>
    public static async Task<string> IntegrityCheckAsync(StudioCluster cluster)
    {
        await using var db = cluster.OpenDatabase();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        return string.Join("; ", await ReadAsync(connection, "PRAGMA integrity_check"));
    }

    private static async Task<List<string>> ReadAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.IsDBNull(0) ? "(null)" : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }
}
