using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebStudio.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddJobLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ClaimToken",
                table: "GenerationJobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseExpiresAt",
                table: "GenerationJobs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Workers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    HostName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ProcessId = table.Column<int>(type: "INTEGER", nullable: false),
                    Devices = table.Column<string>(type: "TEXT", nullable: false),
                    Models = table.Column<string>(type: "TEXT", nullable: false),
                    LoadedModels = table.Column<string>(type: "TEXT", nullable: false),
                    CurrentJobId = table.Column<Guid>(type: "TEXT", nullable: true),
                    JobsDone = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastHeartbeatAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Workers", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_GenerationJobs_Status_LeaseExpiresAt",
                table: "GenerationJobs",
                columns: new[] { "Status", "LeaseExpiresAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Workers");

            migrationBuilder.DropIndex(
                name: "IX_GenerationJobs_Status_LeaseExpiresAt",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "ClaimToken",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "LeaseExpiresAt",
                table: "GenerationJobs");
        }
    }
}
