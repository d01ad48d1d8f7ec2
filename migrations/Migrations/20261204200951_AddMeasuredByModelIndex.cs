using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebStudio.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddMeasuredByModelIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_GenerationJobs_MeasuredByModel",
                table: "GenerationJobs",
                columns: new[] { "Model", "FinishedAt" },
                filter: "\"Status\" = 'Succeeded' AND \"TotalMs\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_GenerationJobs_MeasuredByModel",
                table: "GenerationJobs");
        }
    }
}
