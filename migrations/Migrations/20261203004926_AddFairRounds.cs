using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebStudio.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddFairRounds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LastServedRound",
                table: "UserQueueStates",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "Round",
                table: "GenerationJobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Jobs already queued keep their fair order: a user's n-th queued job (oldest first) goes into round n-1,
            // so the round being served starts at 0 (every LastServedRound is 0).
            migrationBuilder.Sql(
                """
                UPDATE "GenerationJobs" SET "Round" = "r"."n"
                FROM (SELECT "Id", ROW_NUMBER() OVER (PARTITION BY "OwnerId" ORDER BY "CreatedAt", "Id") - 1 AS "n"
                      FROM "GenerationJobs" WHERE "Status" = 'Queued') AS "r"
                WHERE "r"."Id" = "GenerationJobs"."Id";
                """);

            migrationBuilder.CreateIndex(
                name: "IX_UserQueueStates_LastServedRound",
                table: "UserQueueStates",
                column: "LastServedRound");

            migrationBuilder.CreateIndex(
                name: "IX_GenerationJobs_QueuedFair",
                table: "GenerationJobs",
                columns: new[] { "Priority", "Round", "CreatedAt", "Id" },
                descending: new[] { true, false, false, false },
                filter: "\"Status\" = 'Queued'");

            migrationBuilder.CreateIndex(
                name: "IX_GenerationJobs_QueuedFifo",
                table: "GenerationJobs",
                columns: new[] { "Priority", "CreatedAt", "Id" },
                descending: new[] { true, false, false },
                filter: "\"Status\" = 'Queued'");

            migrationBuilder.CreateIndex(
                name: "IX_GenerationJobs_QueuedOwnerRound",
                table: "GenerationJobs",
                columns: new[] { "OwnerId", "Round" },
                filter: "\"Status\" = 'Queued'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UserQueueStates_LastServedRound",
                table: "UserQueueStates");

            migrationBuilder.DropIndex(
                name: "IX_GenerationJobs_QueuedFair",
                table: "GenerationJobs");

            migrationBuilder.DropIndex(
                name: "IX_GenerationJobs_QueuedFifo",
                table: "GenerationJobs");

            migrationBuilder.DropIndex(
                name: "IX_GenerationJobs_QueuedOwnerRound",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "LastServedRound",
                table: "UserQueueStates");

            migrationBuilder.DropColumn(
                name: "Round",
                table: "GenerationJobs");
        }
    }
}
