using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Data;
using WebStudio.Generation.Imaging;
using WebStudio.Generation.Pipelines;
using WebStudio.Studio.Storage;
using WebStudio.Tests.Shared;
using Xunit.Abstractions;

namespace WebStudio.Api.Tests.Pins;

/// <summary>
/// Jobs queued by the studio before the job spec (settings in the Edit_* columns, prepared pixels and strength in the
/// job input store), upgraded in place and run by today's studio, make the same images as the pinned ones: the
/// rows are those that the pinned requests made at aff3b71, and their input files are laid out as that version did.
/// </summary>
[Trait("Capability", "StudioCore")]
public sealed class UpgradedJobImagesTests(ITestOutputHelper output)
{
    private const string BeforeJobSpec = "20261202152653_AddAdministratorClaim";
    private const string EditPrompt = "a blue circle on a yellow ground";

    [Fact]
    public async Task Jobs_queued_before_the_job_spec_make_the_pinned_images_after_the_upgrade()
    {
        // Two studios in turn: the edits need the text-to-image job's first image as their source.
        var generated = await UpgradeAndRunAsync(
        [
            Diffusion("txt2img", "Txt2Img", "Studio", "a red circle above a blue square", "green", steps: 6, seed: 11, batch: 2),
            Diffusion("api generation", "Txt2Img", "Api", "two green triangles", "", steps: 8, seed: 4242, batch: 2),
        ]);
        var sourceId = Guid.NewGuid();
        using var source = Image.Load<Rgb24>(generated.Images["txt2img"][0]);
        using var painted = PinnedImages.InpaintMask();
        using var mask = MaskUpload.Read(PinnedImages.Png(painted), 128, 128, MaskConvention.WhiteIsEdit);
        using var canvas = Outpainting.Extend(source, 0, 32, 32, 0, seed: 14);
        using var apiSource = ImageUpload.Read(generated.Images["txt2img"][0]);
        using var apiMask = MaskUpload.Read(PinnedImages.TransparentLeftHalf(128, 128), 128, 128, MaskConvention.TransparentIsEdit);

        var edited = await UpgradeAndRunAsync(
        [
            Diffusion("img2img", "Img2Img", "Studio", EditPrompt, "", steps: 6, seed: 12) with
            {
                Edit = [("Operation", "Restyle"), ("SourceImageId", sourceId), ("Strength", 0.6f)], Inputs = new(source, null, 0.6f),
            },
            Diffusion("inpaint", "Inpaint", "Studio", EditPrompt, "", steps: 6, seed: 13) with
            {
                Edit = [("Operation", "Inpaint"), ("SourceImageId", sourceId), ("Strength", 0.8f), ("MaskBlur", GenerationRequest.DefaultMaskFeather),
                    ("InpaintOnlyMasked", true), ("OnlyMaskedPadding", GenerationRequest.DefaultOnlyMaskedPadding(128, 128))],
                Inputs = new(source, mask, 0.8f),
            },
            Diffusion("outpaint", "Inpaint", "Studio", EditPrompt, "", steps: 6, seed: 14, size: 160) with
            {
                Edit = [("Operation", "Outpaint"), ("SourceImageId", sourceId), ("Strength", 1f), ("MaskBlur", GenerationRequest.DefaultMaskFeather),
                    ("OutpaintTop", 32), ("OutpaintRight", 32)],
                Inputs = new(canvas.Image, canvas.Mask, 1f),
            },
            Diffusion("hires fix", "Img2Img", "Studio", EditPrompt, "", steps: 6, seed: 15, size: 256) with
            {
                Edit = [("Operation", "HiresFix"), ("SourceImageId", sourceId), ("Strength", 0.35f), ("UpscaleFactor", 2)],
                Inputs = new(Upscaler.Lanczos(source, 2), null, 0.35f),
            },
            // An upscale posed as a one-step job of a made-up model, as that version stored it.
            new OldJob("upscale", "Upscale", "Studio", "", "", "Lanczos 2x", "", 1, 0f, 16, 256, 1)
            {
                Edit = [("Operation", "Upscale"), ("SourceImageId", sourceId), ("Strength", 0f), ("UpscaleFactor", 2)], Inputs = new(source, null, 0f),
            },
            // OpenAI jobs kept no edit columns: their strength was only in the input store. The edit asked for "low"
            // quality (8 steps); the variation left it "auto" (20).
            Diffusion("api edit", "Inpaint", "Api", "a yellow star", "", steps: 8, seed: 4243) with { Inputs = new(apiSource.Image, apiMask, 1f) },
            Diffusion("api variation", "Img2Img", "Api", "", "", steps: 20, seed: 4244) with { Inputs = new(apiSource.Image, null, 0.6f) },
        ]);

        var actual = generated.Hashes.Concat(edited.Hashes).ToDictionary();
        foreach (var (kind, hash) in actual)
        {
            output.WriteLine($"[\"{kind}\"] = \"{hash}\",");
        }

        Assert.Equal(PinnedImages.PinsFor(actual), actual); // every pinned kind, each from an old row
    }

    /// <summary>A GenerationJobs row as the studio before the job spec wrote it, and its job input files.</summary>
    private sealed record OldJob(string Pin, string Kind, string Source, string Prompt, string NegativePrompt, string Model, string Scheduler,
        int Steps, float Guidance, long Seed, int Size, int BatchSize)
    {
        public Guid Id { get; } = Guid.NewGuid();

        /// <summary>Edit_* columns by name without the prefix; the others stay as that version left them.</summary>
        public (string Column, object Value)[] Edit { get; init; } = [];

        public OldInputs? Inputs { get; init; }
    }

    private sealed record OldInputs(Image<Rgb24> Image, Image<L8>? Mask, float Strength);

    private static OldJob Diffusion(string pin, string kind, string source, string prompt, string negative, int steps, long seed, int batch = 1, int size = 128) =>
        new(pin, kind, source, prompt, negative, PinnedImages.Model, "Euler a", steps, 7f, seed, size, batch);

    private sealed record Outcome(Dictionary<string, string> Hashes, Dictionary<string, List<byte[]>> Images);

    /// <summary>Writes <paramref name="jobs"/> into a database at the schema before the job spec, upgrades it, starts
    /// the studio on it (the built-in model) and waits for every job; returns each job's images and their hash.</summary>
    private async Task<Outcome> UpgradeAndRunAsync(OldJob[] jobs)
    {
        using var folder = new TempFolder();
        var database = folder.Combine("data", "studio.db");
        var images = folder.Combine("data", "images");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        var builder = new DbContextOptionsBuilder<StudioDbContext>();
        builder.UseStudioSqlite(StudioDatabase.ConnectionString(database));
        var options = builder.Options;
        await using (var old = new StudioDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync(BeforeJobSpec);
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO AspNetUsers (Id, CreatedAt, EmailConfirmed, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount)
                VALUES ('u1', '2026-11-01 10:00:00', 1, 0, 0, 0, 0);
                """);
            for (var i = 0; i < jobs.Length; i++)
            {
                await InsertAsync(old, jobs[i], new DateTime(2026, 11, 1, 10, 0, i, DateTimeKind.Utc));
                WriteInputs(Path.Combine(folder.Combine("data"), "job-inputs"), jobs[i]);
            }
        }

        await using (var db = new StudioDbContext(options))
        {
            StudioDatabase.MigrateAndConfigure(db);
        }

        SqliteConnection.ClearAllPools();
        var server = new UpgradedStudio(database, images);
        try
        {
            await server.InitializeAsync();
            return await WaitForAllAsync(server, jobs);
        }
        finally
        {
            await server.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    private static async Task InsertAsync(StudioDbContext old, OldJob job, DateTime createdAt)
    {
        var columns = new List<string> { "Id", "OwnerId", "Kind", "Status", "Source", "Prompt", "NegativePrompt", "Model", "Scheduler", "Steps",
            "Guidance", "Seed", "Width", "Height", "BatchSize", "Priority", "CreatedAt", "Attempts" };
        var values = new List<object>
        {
            job.Id.ToString().ToUpperInvariant(), "u1", job.Kind, "Queued", job.Source, job.Prompt, job.NegativePrompt, job.Model, job.Scheduler,
            job.Steps, job.Guidance, job.Seed, job.Size, job.Size, job.BatchSize, 0, createdAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), 0,
        };
        if (job.Edit.Length > 0)
        {
            // That version wrote every Edit_* column of an edit: 0 (or false) where the operation did not use it.
            var edit = new Dictionary<string, object>
            {
                ["OutpaintLeft"] = 0, ["OutpaintTop"] = 0, ["OutpaintRight"] = 0, ["OutpaintBottom"] = 0, ["UpscaleFactor"] = 0,
                ["InpaintOnlyMasked"] = false, ["OnlyMaskedPadding"] = 0, ["MaskBlur"] = 0,
            };
            foreach (var (column, value) in job.Edit)
            {
                edit[column] = value is Guid id ? id.ToString().ToUpperInvariant() : value;
            }

            columns.AddRange(edit.Keys.Select(c => "Edit_" + c));
            values.AddRange(edit.Values);
        }

        var sql = $"INSERT INTO GenerationJobs ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))});";
        await old.Database.ExecuteSqlRawAsync(sql, values.Select((v, i) => (object)new SqliteParameter($"@p{i}", v)).ToArray());
    }

    /// <summary>The job input store of aff3b71: "{id:N}.image.png", "{id:N}.mask.png" and "{id:N}.strength" (the
    /// float's round-trip text) in "job-inputs" beside the images folder.</summary>
    private static void WriteInputs(string root, OldJob job)
    {
        if (job.Inputs is not { } inputs)
        {
            return;
        }

        Directory.CreateDirectory(root);
        inputs.Image.SaveAsPng(Path.Combine(root, $"{job.Id:N}.image.png"));
        inputs.Mask?.SaveAsPng(Path.Combine(root, $"{job.Id:N}.mask.png"));
        File.WriteAllText(Path.Combine(root, $"{job.Id:N}.strength"), inputs.Strength.ToString("R", CultureInfo.InvariantCulture));
    }

    private static async Task<Outcome> WaitForAllAsync(StudioHost server, OldJob[] jobs)
    {
        var factory = server.Services.GetRequiredService<IDbContextFactory<StudioDbContext>>();
        var store = server.Services.GetRequiredService<ImageStore>();
        var ids = jobs.Select(j => j.Id).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync();
            var ended = await db.Jobs.Where(j => ids.Contains(j.Id) && j.Status != JobStatus.Queued && j.Status != JobStatus.Running)
                .Select(j => new { j.Id, j.Status, j.FailureReason }).ToListAsync();
            if (ended.Count == jobs.Length)
            {
                Assert.All(ended, j => Assert.True(j.Status == JobStatus.Succeeded, $"{jobs.Single(o => o.Id == j.Id).Pin}: {j.Status} {j.FailureReason}"));
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"only {ended.Count} of {jobs.Length} upgraded jobs ended in time");
            await Task.Delay(100);
        }

        var outcome = new Outcome([], []);
        await using (var db = await factory.CreateDbContextAsync())
        {
            foreach (var job in jobs)
            {
                var files = await db.Images.Where(i => i.JobId == job.Id).OrderBy(i => i.Index).Select(i => i.FileName).ToListAsync();
                var pngs = files.Select(f => File.ReadAllBytes(store.Resolve(f)!)).ToList();
                outcome.Images[job.Pin] = pngs;
                outcome.Hashes[job.Pin] = PinnedImages.PixelHash(pngs);
            }
        }

        return outcome;
    }

    /// <summary>The studio on a prepared database and image folder, with the built-in model.</summary>
    private sealed class UpgradedStudio(string database, string images) : StudioHost(new StudioHostOptions
    {
        ModelsFolder = RepositoryFolders.Models,
        TinyModel = null,
        Settings = new Dictionary<string, string?>
        {
            ["Studio:DatabasePath"] = database,
            ["Storage:ImagesPath"] = images,
            ["Generation:DefaultModel"] = PinnedImages.Model,
        },
    });
}
