using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebStudio.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class StoreJobSpecAsJson : Migration
    {
        private const string Common =
            "'seed', Seed, 'prompt', Prompt, 'negativePrompt', NegativePrompt, 'model', Model, 'scheduler', Scheduler, " +
            "'steps', Steps, 'guidance', Guidance, 'batchSize', BatchSize";

        private const string Source =
            "CASE WHEN Edit_SourceImageId IS NOT NULL THEN 'image:' || lower(Edit_SourceImageId) " +
            "WHEN Edit_SourceUploadId IS NOT NULL THEN 'upload:' || lower(Edit_SourceUploadId) END";

        // Back to the edit columns (an API job's strength lives in its input files, as it did before).
        private const string RestoreColumns = """
            UPDATE GenerationJobs SET
              Edit_Operation = CASE json_extract(Spec, '$.kind') WHEN 'img2img' THEN 'Restyle' WHEN 'inpaint' THEN 'Inpaint'
                WHEN 'outpaint' THEN 'Outpaint' WHEN 'hires-fix' THEN 'HiresFix' WHEN 'upscale' THEN 'Upscale' END,
              Edit_SourceImageId = CASE WHEN json_extract(Spec, '$.source') LIKE 'image:%' THEN upper(substr(json_extract(Spec, '$.source'), 7)) END,
              Edit_SourceUploadId = CASE WHEN json_extract(Spec, '$.source') LIKE 'upload:%' THEN upper(substr(json_extract(Spec, '$.source'), 8)) END,
              Edit_Strength = coalesce(json_extract(Spec, '$.strength'), CASE json_extract(Spec, '$.kind') WHEN 'outpaint' THEN 1.0 ELSE 0.0 END),
              Edit_InpaintOnlyMasked = coalesce(json_extract(Spec, '$.onlyMasked'), 0),
              Edit_OnlyMaskedPadding = coalesce(json_extract(Spec, '$.onlyMaskedPadding'), 0),
              Edit_MaskBlur = coalesce(json_extract(Spec, '$.maskBlur'), 0),
              Edit_OutpaintLeft = coalesce(json_extract(Spec, '$.left'), 0), Edit_OutpaintTop = coalesce(json_extract(Spec, '$.top'), 0),
              Edit_OutpaintRight = coalesce(json_extract(Spec, '$.right'), 0), Edit_OutpaintBottom = coalesce(json_extract(Spec, '$.bottom'), 0),
              Edit_UpscaleFactor = coalesce(json_extract(Spec, '$.factor'), 0),
              Edit_Upscaler = json_extract(Spec, '$.upscaler'),
              Kind = CASE Kind WHEN 'Outpaint' THEN 'Inpaint' WHEN 'HiresFix' THEN 'Img2Img' ELSE Kind END
            WHERE json_extract(Spec, '$.source') IS NOT NULL OR json_extract(Spec, '$.kind') = 'upscale';
            """;

        private const string ConvertRows = $$"""
            UPDATE GenerationJobs SET SpecVersion = 1, Spec = CASE
              WHEN Edit_Operation IS NULL AND Kind = 'Txt2Img' THEN
                json_object('kind', 'txt2img', {{Common}}, 'width', Width, 'height', Height)
              WHEN Edit_Operation IS NULL AND Kind = 'Inpaint' THEN
                json_object('kind', 'inpaint', {{Common}}, 'source', NULL, 'maskId', NULL, 'strength', 1.0,
                  'onlyMasked', json('false'), 'onlyMaskedPadding', NULL, 'maskBlur', 4)
              WHEN Edit_Operation IS NULL THEN
                json_object('kind', 'img2img', {{Common}}, 'source', NULL, 'strength', CASE WHEN Prompt = '' THEN 0.6 ELSE 0.75 END)
              WHEN Edit_Operation = 'Restyle' THEN
                json_object('kind', 'img2img', {{Common}}, 'source', {{Source}}, 'strength', Edit_Strength)
              WHEN Edit_Operation = 'Inpaint' THEN
                json_object('kind', 'inpaint', {{Common}}, 'source', {{Source}}, 'maskId', NULL, 'strength', Edit_Strength,
                  'onlyMasked', json(CASE WHEN Edit_InpaintOnlyMasked THEN 'true' ELSE 'false' END),
                  'onlyMaskedPadding', CASE WHEN Edit_InpaintOnlyMasked THEN Edit_OnlyMaskedPadding END, 'maskBlur', Edit_MaskBlur)
              WHEN Edit_Operation = 'Outpaint' THEN
                json_object('kind', 'outpaint', {{Common}}, 'source', {{Source}}, 'left', Edit_OutpaintLeft, 'top', Edit_OutpaintTop,
                  'right', Edit_OutpaintRight, 'bottom', Edit_OutpaintBottom, 'maskBlur', Edit_MaskBlur)
              WHEN Edit_Operation = 'HiresFix' THEN
                json_object('kind', 'hires-fix', {{Common}}, 'source', {{Source}}, 'factor', Edit_UpscaleFactor, 'strength', Edit_Strength)
              ELSE
                json_object('kind', 'upscale', 'seed', Seed, 'source', {{Source}},
                  'factor', CASE WHEN Edit_UpscaleFactor > 0 THEN Edit_UpscaleFactor ELSE 2 END, 'upscaler', Edit_Upscaler)
              END,
            Kind = CASE Edit_Operation WHEN 'Outpaint' THEN 'Outpaint' WHEN 'HiresFix' THEN 'HiresFix' WHEN 'Upscale' THEN 'Upscale' ELSE Kind END;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Spec",
                table: "GenerationJobs",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "SpecVersion",
                table: "GenerationJobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // Every existing job's settings into its spec, as JobSpecJson writes it (the discriminator first). API jobs
            // kept their strength only in the job input store: a masked edit repainted at 1, a variation (no prompt)
            // at 0.6 and an edit without a mask at 0.75, the API's fixed values.
            migrationBuilder.Sql(ConvertRows);

            // The Edit_* columns stay, unmapped and nullable: dropping them is a table rebuild that SQLite cannot run in
            // a transaction, and a crash in it could lose the jobs table. A later migration drops them.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(RestoreColumns);

            migrationBuilder.DropColumn(
                name: "Spec",
                table: "GenerationJobs");

            migrationBuilder.DropColumn(
                name: "SpecVersion",
                table: "GenerationJobs");
        }
    }
}
