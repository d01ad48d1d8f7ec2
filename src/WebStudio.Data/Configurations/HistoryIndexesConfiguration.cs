using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

/// <summary>
/// The history page's filters on top of the queue's own job configuration: each filter narrows one user's jobs
/// newest first, so the keyset page reads only the rows it shows, even at 10,000 jobs per user.
/// </summary>
public sealed class HistoryIndexesConfiguration : IEntityTypeConfiguration<GenerationJob>
{
    public void Configure(EntityTypeBuilder<GenerationJob> builder)
    {
        builder.HasIndex(j => new { j.OwnerId, j.CreatedAt, j.Id }).HasDatabaseName("IX_GenerationJobs_History");
        builder.HasIndex(j => new { j.OwnerId, j.Model, j.CreatedAt }).HasDatabaseName("IX_GenerationJobs_History_Model");
        builder.HasIndex(j => new { j.OwnerId, j.Scheduler, j.CreatedAt }).HasDatabaseName("IX_GenerationJobs_History_Scheduler");
    }
}
