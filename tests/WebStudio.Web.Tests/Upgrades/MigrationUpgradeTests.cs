using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using WebStudio.Data;
using WebStudio.Web.Tests.Infrastructure;
using WebStudio.Studio.Jobs;

namespace WebStudio.Web.Tests.Upgrades;

/// <summary>A database written by an older studio is upgraded in place and every stored job still reads back.</summary>
public sealed class MigrationUpgradeTests
{
    private const string BeforeInpaintSettings = "20261127033622_AddEditParameters";

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
}
