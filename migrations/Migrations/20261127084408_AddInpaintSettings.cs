using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebStudio.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddInpaintSettings : Migration
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
                name: "Edit_MaskBlur",
                table: "GenerationJobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Edit_OnlyMaskedPadding",
                table: "GenerationJobs",
                type: "INTEGER",
                nullable: true);

            // Edits stored before this were whole-picture inpaints feathered by 4 pixels: their rows get the values EF
            // must read back (a NULL in a bool or int of a present edit would make those jobs unreadable).
            migrationBuilder.Sql("UPDATE \"GenerationJobs\" SET \"Edit_InpaintOnlyMasked\" = 0, \"Edit_OnlyMaskedPadding\" = 0, " +
                "\"Edit_MaskBlur\" = CASE WHEN \"Edit_Operation\" IN ('Inpaint', 'Outpaint') THEN 4 ELSE 0 END WHERE \"Edit_Operation\" IS NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Edit_InpaintOnlyMasked",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "Edit_MaskBlur",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "Edit_OnlyMaskedPadding",
                table: "GenerationJobs");
        }
    }
}
