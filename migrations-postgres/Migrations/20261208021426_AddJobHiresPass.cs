using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebStudio.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AddJobHiresPass : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "HiresFactor",
                table: "GenerationJobs",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "HiresSteps",
                table: "GenerationJobs",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HiresFactor",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "HiresSteps",
                table: "GenerationJobs");
        }
    }
}
