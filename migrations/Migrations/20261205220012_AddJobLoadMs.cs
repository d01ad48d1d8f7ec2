using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebStudio.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddJobLoadMs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "LoadMs",
                table: "GenerationJobs",
                type: "REAL",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_GenerationJobs_LoadsByModel",
                table: "GenerationJobs",
                columns: new[] { "Model", "FinishedAt" },
                filter: "\"Status\" = 'Succeeded' AND \"TotalMs\" IS NOT NULL AND \"LoadMs\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_GenerationJobs_LoadsByModel",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "LoadMs",
                table: "GenerationJobs");
        }
    }
}
