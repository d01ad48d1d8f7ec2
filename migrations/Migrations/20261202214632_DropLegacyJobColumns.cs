using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebStudio.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class DropLegacyJobColumns : Migration
    {
        // The edit settings of jobs stored before the job spec, unmapped since StoreJobSpecAsJson copied them into Spec.
        private static readonly string[] Legacy =
        [
            "Edit_Operation", "Edit_SourceImageId", "Edit_SourceUploadId", "Edit_Strength", "Edit_OutpaintLeft", "Edit_OutpaintTop",
            "Edit_OutpaintRight", "Edit_OutpaintBottom", "Edit_UpscaleFactor", "Edit_Upscaler", "Edit_InpaintOnlyMasked",
            "Edit_OnlyMaskedPadding", "Edit_MaskBlur",
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // SQLite's own DROP COLUMN (3.35+), not EF's DropColumn: EF rebuilds the table in three transactions with
            // foreign keys off between them, and a crash there leaves a half-copied table that blocks the next start.
            // These columns have no index, key or constraint, so the plain statement applies, inside the migration's
            // one transaction.
            foreach (var column in Legacy)
            {
                migrationBuilder.Sql($"ALTER TABLE \"GenerationJobs\" DROP COLUMN \"{column}\";");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Empty and nullable, as StoreJobSpecAsJson left them; its own Down fills them from the spec.
            migrationBuilder.AddColumn<string>(name: "Edit_Operation", table: "GenerationJobs", type: "TEXT", maxLength: 16, nullable: true);
            migrationBuilder.AddColumn<Guid>(name: "Edit_SourceImageId", table: "GenerationJobs", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<Guid>(name: "Edit_SourceUploadId", table: "GenerationJobs", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<float>(name: "Edit_Strength", table: "GenerationJobs", type: "REAL", nullable: true);
            migrationBuilder.AddColumn<int>(name: "Edit_OutpaintLeft", table: "GenerationJobs", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<int>(name: "Edit_OutpaintTop", table: "GenerationJobs", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<int>(name: "Edit_OutpaintRight", table: "GenerationJobs", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<int>(name: "Edit_OutpaintBottom", table: "GenerationJobs", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<int>(name: "Edit_UpscaleFactor", table: "GenerationJobs", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<string>(name: "Edit_Upscaler", table: "GenerationJobs", type: "TEXT", maxLength: 200, nullable: true);
            migrationBuilder.AddColumn<bool>(name: "Edit_InpaintOnlyMasked", table: "GenerationJobs", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<int>(name: "Edit_OnlyMaskedPadding", table: "GenerationJobs", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<int>(name: "Edit_MaskBlur", table: "GenerationJobs", type: "INTEGER", nullable: true);
        }
    }
}
