using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebStudio.Migrations
{
    /// <inheritdoc />
    public partial class AddEditParameters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Edit_Operation",
                table: "GenerationJobs",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Edit_OutpaintBottom",
                table: "GenerationJobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Edit_OutpaintLeft",
                table: "GenerationJobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Edit_OutpaintRight",
                table: "GenerationJobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Edit_OutpaintTop",
                table: "GenerationJobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "Edit_SourceImageId",
                table: "GenerationJobs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "Edit_SourceUploadId",
                table: "GenerationJobs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<float>(
                name: "Edit_Strength",
                table: "GenerationJobs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Edit_UpscaleFactor",
                table: "GenerationJobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Edit_Upscaler",
                table: "GenerationJobs",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Edit_Operation",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "Edit_OutpaintBottom",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "Edit_OutpaintLeft",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "Edit_OutpaintRight",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "Edit_OutpaintTop",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "Edit_SourceImageId",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "Edit_SourceUploadId",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "Edit_Strength",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "Edit_UpscaleFactor",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "Edit_Upscaler",
                table: "GenerationJobs");
        }
    }
}
