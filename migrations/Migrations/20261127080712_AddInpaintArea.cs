using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebStudio.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddInpaintArea : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Edit_InpaintOnlyMasked",
                table: "GenerationJobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Edit_OnlyMaskedPadding",
                table: "GenerationJobs",
                type: "INTEGER",
                nullable: true);

            // Edits stored before this were whole-picture inpaints: their rows get the values EF must read back
            // (a NULL in a bool of a present edit would make those jobs unreadable).
            migrationBuilder.Sql("UPDATE \"GenerationJobs\" SET \"Edit_InpaintOnlyMasked\" = 0, \"Edit_OnlyMaskedPadding\" = 0 WHERE \"Edit_Operation\" IS NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Edit_InpaintOnlyMasked",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "Edit_OnlyMaskedPadding",
                table: "GenerationJobs");
        }
    }
}
