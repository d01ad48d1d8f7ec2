using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class GenerationJobConfiguration : IEntityTypeConfiguration<GenerationJob>
{
    /// <summary>The partial indexes' condition, written as the queue's SQL writes it so both planners match it.</summary>
    public const string QueuedFilter = "\"Status\" = 'Queued'";

    /// <summary>The partial indexes of the fair and the FIFO run order (the claim's SQL names them).</summary>
    public const string QueuedFairIndex = "IX_GenerationJobs_QueuedFair", QueuedFifoIndex = "IX_GenerationJobs_QueuedFifo";

    /// <summary>The measured runs' condition: succeeded jobs with their time (the queue's ETAs read them by model).</summary>
    public const string MeasuredFilter = "\"Status\" = 'Succeeded' AND \"TotalMs\" IS NOT NULL";

    /// <summary>The index of each model's measured runs, newest last.</summary>
    public const string MeasuredByModelIndex = "IX_GenerationJobs_MeasuredByModel";

    /// <summary>The measured runs that loaded their model (<see cref="GenerationJob.LoadMs"/>).</summary>
    public const string LoadedFilter = MeasuredFilter + " AND \"LoadMs\" IS NOT NULL";

    /// <summary>The index of each model's measured loads, newest last.</summary>
    public const string LoadsByModelIndex = "IX_GenerationJobs_LoadsByModel";

    public void Configure(EntityTypeBuilder<GenerationJob> builder)
    {
        builder.ToTable("GenerationJobs");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.OwnerId).IsRequired().HasMaxLength(450);
        builder.HasOne(j => j.Owner).WithMany().HasForeignKey(j => j.OwnerId).OnDelete(DeleteBehavior.Cascade);

        // Text enums keep the database readable and let later kinds/sources arrive without a migration.
        builder.Property(j => j.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.Source).HasConversion<string>().HasMaxLength(16);

        builder.Property(j => j.Prompt).IsRequired().HasMaxLength(4000);
        builder.Property(j => j.NegativePrompt).IsRequired().HasMaxLength(4000);
        builder.Property(j => j.Model).IsRequired().HasMaxLength(200);
        builder.Property(j => j.Scheduler).IsRequired().HasMaxLength(64);
        builder.Property(j => j.WorkerId).HasMaxLength(100);
        builder.Property(j => j.FailureReason).HasMaxLength(2000);

        // The dispatcher reads queued jobs by status; history reads a user's jobs newest first.
        builder.HasIndex(j => new { j.Status, j.Priority, j.CreatedAt });
        builder.HasIndex(j => new { j.OwnerId, j.Status, j.CreatedAt });
        builder.HasIndex(j => new { j.OwnerId, j.CreatedAt });
        // The claim and the queue page read queued jobs in run order, a range scan of one of these partial indexes
        // (only queued rows; Status is stored as text). Fair: priority, round, age; FIFO: priority, age. A
        // submission reads the user's last queued round from the third.
        builder.HasIndex(j => new { j.Priority, j.Round, j.CreatedAt, j.Id }, QueuedFairIndex)
            .IsDescending(true, false, false, false).HasFilter(QueuedFilter);
        builder.HasIndex(j => new { j.Priority, j.CreatedAt, j.Id }, QueuedFifoIndex)
            .IsDescending(true, false, false).HasFilter(QueuedFilter);
        builder.HasIndex(j => new { j.OwnerId, j.Round }, "IX_GenerationJobs_QueuedOwnerRound").HasFilter(QueuedFilter);
        // The queue's ETAs read each waiting model's last measured runs: a backward range scan of this one.
        builder.HasIndex(j => new { j.Model, j.FinishedAt }, MeasuredByModelIndex).HasFilter(MeasuredFilter);
        // ... and the last loads of a model that no worker holds: runs that loaded it are few, and may be long ago.
        builder.HasIndex(j => new { j.Model, j.FinishedAt }, LoadsByModelIndex).HasFilter(LoadedFilter);
        // The lease sweep reads running jobs by expiry.
        builder.HasIndex(j => new { j.Status, j.LeaseExpiresAt });

        // The whole spec as JSON (no length limit: SQLite TEXT, PostgreSQL text).
        builder.Property(j => j.Spec).IsRequired();

        builder.HasMany(j => j.Images).WithOne(i => i.Job).HasForeignKey(i => i.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
