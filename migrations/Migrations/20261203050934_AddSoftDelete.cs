using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebStudio.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddSoftDelete : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "DeletedAt",
                table: "GenerationJobs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DeletedAt",
                table: "GeneratedImages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_GenerationJobs_Deleted",
                table: "GenerationJobs",
                column: "DeletedAt",
                filter: "\"DeletedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_GeneratedImages_Deleted",
                table: "GeneratedImages",
                column: "DeletedAt",
                filter: "\"DeletedAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_GenerationJobs_Deleted",
                table: "GenerationJobs");

            migrationBuilder.DropIndex(
                name: "IX_GeneratedImages_Deleted",
                table: "GeneratedImages");

            migrationBuilder.DropColumn(
                name: "DeletedAt",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "DeletedAt",
                table: "GeneratedImages");
        }
    }
}
