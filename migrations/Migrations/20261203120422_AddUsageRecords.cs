using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebStudio.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddUsageRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UsageRecords",
                columns: table => new
                {
                    JobId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Steps = table.Column<int>(type: "INTEGER", nullable: false),
                    Images = table.Column<int>(type: "INTEGER", nullable: false),
                    StepPixels = table.Column<long>(type: "INTEGER", nullable: false),
                    WorkerMs = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageRecords", x => x.JobId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_FinishedAt",
                table: "UsageRecords",
                column: "FinishedAt");

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_OwnerId_FinishedAt",
                table: "UsageRecords",
                columns: new[] { "OwnerId", "FinishedAt" });

            // Backfill: one record per job that ran and ended before this release (deleted history included: raw SQL
            // sees soft-deleted rows), as the studio writes them at a job's end (UsageRecord.Of).
            migrationBuilder.Sql("""
                INSERT INTO "UsageRecords" ("JobId", "OwnerId", "UserName", "Model", "Kind", "Source", "Status", "FinishedAt", "Steps", "Images", "StepPixels", "WorkerMs")
                SELECT j."Id", j."OwnerId", COALESCE(u."UserName", j."OwnerId"), j."Model", j."Kind", j."Source", j."Status", j."FinishedAt", j."Steps",
                    CASE WHEN j."Status" = 'Succeeded' THEN j."BatchSize" ELSE 0 END,
                    CASE WHEN j."Status" = 'Succeeded' THEN CAST(j."Steps" AS bigint) * j."Width" * j."Height" * j."BatchSize" ELSE 0 END,
                    COALESCE(j."TotalMs", 0)
                FROM "GenerationJobs" j LEFT JOIN "AspNetUsers" u ON u."Id" = j."OwnerId"
                WHERE j."FinishedAt" IS NOT NULL AND j."StartedAt" IS NOT NULL AND j."Status" IN ('Succeeded', 'Failed', 'Canceled');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsageRecords");
        }
    }
}
