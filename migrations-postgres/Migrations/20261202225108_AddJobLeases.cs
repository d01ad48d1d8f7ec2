using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebStudio.Migrations.Postgres.Migrations
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
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseExpiresAt",
                table: "GenerationJobs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Workers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    HostName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    ProcessId = table.Column<int>(type: "integer", nullable: false),
                    Devices = table.Column<List<string>>(type: "text[]", nullable: false),
                    Models = table.Column<List<string>>(type: "text[]", nullable: false),
                    LoadedModels = table.Column<List<string>>(type: "text[]", nullable: false),
                    CurrentJobId = table.Column<Guid>(type: "uuid", nullable: true),
                    JobsDone = table.Column<long>(type: "bigint", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastHeartbeatAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
