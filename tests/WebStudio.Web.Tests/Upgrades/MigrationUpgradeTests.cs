using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using WebStudio.Data;
using WebStudio.Web.Tests.Infrastructure;
using WebStudio.Studio.Jobs;

namespace WebStudio.Web.Tests.Upgrades;

/// <summary>A database written by an older studio is upgraded in place and every stored job still reads back.</summary>
public sealed class MigrationUpgradeTests
{
    private const string BeforeInpaintSettings = "20261127033622_AddEditParameters";
    private const string BeforeJobSpec = "20261202152653_AddAdministratorClaim";

    [Fact]
    public async Task Edit_jobs_stored_before_the_inpaint_settings_columns_still_read_back_after_the_upgrade()
    {
        using var folder = new TempFolder();
        var builder = new DbContextOptionsBuilder<StudioDbContext>();
        builder.UseStudioSqlite(StudioDatabase.ConnectionString(Path.Combine(folder.Path, "studio.db")));
        var options = builder.Options;
        var inpaintId = Guid.NewGuid();
        var textId = Guid.NewGuid();
        await using (var old = new StudioDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync(BeforeInpaintSettings);
            // Rows as that version wrote them: one inpaint edit and one plain txt2img job.
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO AspNetUsers (Id, CreatedAt, EmailConfirmed, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount)
                VALUES ('u1', '2026-11-01 10:00:00', 1, 0, 0, 0, 0);
                """);
            foreach (var (id, kind, operation, zero, strength) in new[] { (inpaintId, "Inpaint", "Inpaint", (int?)0, (float?)0.8f), (textId, "Txt2Img", null, null, null) })
            {
                // EF stores a Guid as upper-case text.
                var key = id.ToString().ToUpperInvariant();
                await old.Database.ExecuteSqlAsync($"""
                    INSERT INTO GenerationJobs (Id, OwnerId, Kind, Status, Source, Prompt, NegativePrompt, Model, Scheduler, Steps,
                        Guidance, Seed, Width, Height, BatchSize, Priority, CreatedAt, Attempts, Edit_Operation, Edit_Strength,
                        Edit_OutpaintLeft, Edit_OutpaintTop, Edit_OutpaintRight, Edit_OutpaintBottom, Edit_UpscaleFactor)
                    VALUES ({key}, 'u1', {kind}, 'Succeeded', 'Studio', 'a blue square', '', 'webstudio-shapes',
                        'DDIM', 20, 7, 5, 128, 128, 1, 1, '2026-11-01 10:00:00', 1, {operation}, {strength},
                        {zero}, {zero}, {zero}, {zero}, {zero});
                    """);
            }
        }

        await using var db = new StudioDbContext(options);
        StudioDatabase.MigrateAndConfigure(db);

        var inpaint = Assert.IsType<JobSpec.Inpaint>(JobSpecJson.Read(await db.Jobs.SingleAsync(j => j.Id == inpaintId)));
        Assert.Equal(0.8f, inpaint.Strength);
        Assert.False(inpaint.OnlyMasked); // what that version did: the whole picture
        Assert.Null(inpaint.OnlyMaskedPadding);
        Assert.Equal(4, inpaint.MaskBlur); // the fixed feathering of that version
        Assert.IsType<JobSpec.Txt2Img>(JobSpecJson.Read(await db.Jobs.SingleAsync(j => j.Id == textId)));
    }

    /// <summary>Rows of every kind as the studio before the job spec wrote them (edit settings in Edit_* columns, API
    /// jobs without them), each with the spec the migration must make of it.</summary>
    public static TheoryData<string, string?, string, string, object?[], JobSpec> OldRows()
    {
        const string source = "0B0B7F3E-3F53-4A3A-9A57-1D2F3E4F5A6B";
        var from = $"image:{source.ToLowerInvariant()}";
        object?[] none = [null, null, null, null, null, null, null, null, null, null, null, null];
        // Edit_: SourceImageId, SourceUploadId, Strength, OutpaintLeft, OutpaintTop, OutpaintRight, OutpaintBottom,
        // UpscaleFactor, Upscaler, InpaintOnlyMasked, OnlyMaskedPadding, MaskBlur.
        return new()
        {
            { "Txt2Img", null, "Studio", "a cat", none, Diffusion(new JobSpec.Txt2Img { Width = 128, Height = 96 }, "a cat") },
            { "Img2Img", "Restyle", "Studio", "a cat", [source, null, 0.5f, 0, 0, 0, 0, 0, null, false, 0, 0],
                Diffusion(new JobSpec.Img2Img { Source = from, Strength = 0.5f }, "a cat") },
            { "Inpaint", "Inpaint", "Studio", "a cat", [source, null, 0.8f, 0, 0, 0, 0, 0, null, true, 6, 9],
                Diffusion(new JobSpec.Inpaint { Source = from, Strength = 0.8f, OnlyMasked = true, OnlyMaskedPadding = 6, MaskBlur = 9 }, "a cat") },
            { "Inpaint", "Outpaint", "Studio", "a cat", [null, source, 1f, 8, 16, 24, 32, 0, null, false, 0, 3],
                Diffusion(new JobSpec.Outpaint { Source = $"upload:{source.ToLowerInvariant()}", Left = 8, Top = 16, Right = 24, Bottom = 32, MaskBlur = 3 }, "a cat") },
            { "Img2Img", "HiresFix", "Studio", "a cat", [source, null, 0.3f, 0, 0, 0, 0, 2, null, false, 0, 0],
                Diffusion(new JobSpec.HiresFix { Source = from, Factor = 2, Strength = 0.3f }, "a cat") },
            { "Upscale", "Upscale", "Studio", "", [source, null, 0f, 0, 0, 0, 0, 4, null, false, 0, 0],
                new JobSpec.Upscale { Source = from, Factor = 4, Seed = 5 } },
            { "Upscale", "Upscale", "Studio", "", [source, null, 0f, 0, 0, 0, 0, 0, "x4-esrgan", false, 0, 0],
                new JobSpec.Upscale { Source = from, Factor = 2, Upscaler = "x4-esrgan", Seed = 5 } },
            { "Inpaint", null, "Api", "a cat", none, Diffusion(new JobSpec.Inpaint { Strength = 1f, OnlyMasked = false }, "a cat") },
            { "Img2Img", null, "Api", "a cat", none, Diffusion(new JobSpec.Img2Img { Strength = 0.75f }, "a cat") },
            { "Img2Img", null, "Api", "", none, Diffusion(new JobSpec.Img2Img { Strength = 0.6f }, "") },
        };

        static JobSpec Diffusion(JobSpec.Diffusion spec, string prompt) => spec with
        {
            Prompt = prompt, NegativePrompt = "blurry", Model = "webstudio-shapes", Scheduler = "DDIM", Steps = 20, Guidance = 6.5f, Seed = 5, BatchSize = 2,
        };
    }

    [Theory]
    [Trait("Capability", "StudioCore")]
    [MemberData(nameof(OldRows))]
    public async Task A_job_stored_before_the_job_spec_converts_to_its_spec(string kind, string? operation, string source, string prompt, object?[] edit, JobSpec expected)
    {
        using var folder = new TempFolder();
        var builder = new DbContextOptionsBuilder<StudioDbContext>();
        builder.UseStudioSqlite(StudioDatabase.ConnectionString(Path.Combine(folder.Path, "studio.db")));
        var options = builder.Options;
        var id = Guid.NewGuid();
        await using (var old = new StudioDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync(BeforeJobSpec);
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO AspNetUsers (Id, CreatedAt, EmailConfirmed, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount)
                VALUES ('u1', '2026-11-01 10:00:00', 1, 0, 0, 0, 0);
                """);
            object?[] values =
            [
                id.ToString().ToUpperInvariant(), kind, source, prompt, operation == "Upscale" ? "" : "blurry",
                operation == "Upscale" ? "Lanczos" : "webstudio-shapes", operation == "Upscale" ? "" : "DDIM",
                operation == "Upscale" ? 1 : 20, operation == "Upscale" ? 0f : 6.5f, operation == "Upscale" ? 1 : 2, operation, .. edit,
            ];
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO GenerationJobs (Id, OwnerId, Kind, Status, Source, Prompt, NegativePrompt, Model, Scheduler, Steps, Guidance,
                    Seed, Width, Height, BatchSize, Priority, CreatedAt, Attempts, Edit_Operation, Edit_SourceImageId, Edit_SourceUploadId,
                    Edit_Strength, Edit_OutpaintLeft, Edit_OutpaintTop, Edit_OutpaintRight, Edit_OutpaintBottom, Edit_UpscaleFactor,
                    Edit_Upscaler, Edit_InpaintOnlyMasked, Edit_OnlyMaskedPadding, Edit_MaskBlur)
                VALUES (@p0, 'u1', @p1, 'Queued', @p2, @p3, @p4, @p5, @p6, @p7, @p8, 5, 128, 96, @p9, 0, '2026-11-01 10:00:00', 0, @p10,
                    @p11, @p12, @p13, @p14, @p15, @p16, @p17, @p18, @p19, @p20, @p21, @p22);
                """, values.Select((v, i) => (object)new SqliteParameter($"@p{i}", v ?? DBNull.Value)).ToArray());
        }

        await using var db = new StudioDbContext(options);
        StudioDatabase.MigrateAndConfigure(db);

        var job = await db.Jobs.SingleAsync(j => j.Id == id);
        Assert.Equal(expected, JobSpecJson.Read(job));
        Assert.Equal(expected.Kind, job.Kind);
        Assert.Equal((128, 96, JobStatus.Queued), (job.Width, job.Height, job.Status));
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task After_the_upgrade_every_table_holds_only_the_columns_the_model_maps()
    {
        using var folder = new TempFolder();
        var options = await OldDatabaseWithAnOutpaintJobAsync(folder);

        await using var db = new StudioDbContext(options);
        StudioDatabase.MigrateAndConfigure(db);

        // The Edit_* columns that the spec replaced are gone, and nothing else unmapped is left behind.
        foreach (var table in db.GetService<IDesignTimeModel>().Model.GetRelationalModel().Tables)
        {
            var stored = await db.Database.SqlQuery<string>($"SELECT name AS Value FROM pragma_table_info({table.Name})").ToListAsync();
            Assert.Equal(table.Columns.Select(c => c.Name).Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
        }

        var outpaint = Assert.IsType<JobSpec.Outpaint>(JobSpecJson.Read(await db.Jobs.SingleAsync()));
        Assert.Equal((0, 32, 32, 0), (outpaint.Left, outpaint.Top, outpaint.Right, outpaint.Bottom));
    }

    [Fact]
    [Trait("Capability", "StudioCore")]
    public async Task Migrating_back_before_the_job_spec_restores_the_legacy_columns()
    {
        using var folder = new TempFolder();
        var options = await OldDatabaseWithAnOutpaintJobAsync(folder);
        await using (var db = new StudioDbContext(options))
        {
            StudioDatabase.MigrateAndConfigure(db);
        }

        await using var old = new StudioDbContext(options);
        await old.GetService<IMigrator>().MigrateAsync(BeforeJobSpec);

        var restored = await old.Database.SqlQueryRaw<string>(
            "SELECT Edit_Operation || ' ' || Edit_OutpaintTop || ' ' || Edit_OutpaintRight || ' ' || Edit_MaskBlur AS Value FROM GenerationJobs").SingleAsync();
        Assert.Equal("Outpaint 32 32 4", restored);
    }

    /// <summary>A database at the schema before the job spec, holding one queued outpaint of the Edit page.</summary>
    private static async Task<DbContextOptions<StudioDbContext>> OldDatabaseWithAnOutpaintJobAsync(TempFolder folder)
    {
        var builder = new DbContextOptionsBuilder<StudioDbContext>();
        builder.UseStudioSqlite(StudioDatabase.ConnectionString(Path.Combine(folder.Path, "studio.db")));
        await using var old = new StudioDbContext(builder.Options);
        await old.GetService<IMigrator>().MigrateAsync(BeforeJobSpec);
        await old.Database.ExecuteSqlRawAsync("""
            INSERT INTO AspNetUsers (Id, CreatedAt, EmailConfirmed, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount)
            VALUES ('u1', '2026-11-01 10:00:00', 1, 0, 0, 0, 0);
            INSERT INTO GenerationJobs (Id, OwnerId, Kind, Status, Source, Prompt, NegativePrompt, Model, Scheduler, Steps, Guidance, Seed,
                Width, Height, BatchSize, Priority, CreatedAt, Attempts, Edit_Operation, Edit_SourceImageId, Edit_Strength, Edit_OutpaintLeft,
                Edit_OutpaintTop, Edit_OutpaintRight, Edit_OutpaintBottom, Edit_UpscaleFactor, Edit_InpaintOnlyMasked, Edit_OnlyMaskedPadding,
                Edit_MaskBlur)
            VALUES ('0B0B7F3E-3F53-4A3A-9A57-1D2F3E4F5A6B', 'u1', 'Inpaint', 'Queued', 'Studio', 'a cat', '', 'webstudio-shapes', 'Euler a', 6, 7,
                14, 160, 160, 1, 0, '2026-11-01 10:00:00', 0, 'Outpaint', '1D2F3E4F-0B0B-4A3A-9A57-7F3E3F535A6B', 1, 0, 32, 32, 0, 0, 0, 0, 4);
            """);
        return builder.Options;
    }
}
