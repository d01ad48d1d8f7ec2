using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

/// <summary>
/// History's delete is soft: a deleted job and its images carry <c>DeletedAt</c> and every query leaves them out
/// (history, search, galleries, share pages, the API), until Undo clears it or the sweep removes them for good.
/// Queries that must see them (the sweep, Undo, the queue's raw SQL) say so with
/// <c>IgnoreQueryFilters([SoftDeleteConfiguration.Filter])</c>.
/// </summary>
public sealed class SoftDeleteConfiguration :
    IEntityTypeConfiguration<GenerationJob>, IEntityTypeConfiguration<GeneratedImage>, IEntityTypeConfiguration<GalleryItem>
{
    public const string Filter = "SoftDelete";

    /// <summary>The sweep's partial indexes: only deleted rows, so they stay tiny.</summary>
    public const string DeletedFilter = "\"DeletedAt\" IS NOT NULL";

    public void Configure(EntityTypeBuilder<GenerationJob> builder)
    {
        builder.HasQueryFilter(Filter, j => j.DeletedAt == null);
        builder.HasIndex(j => j.DeletedAt).HasDatabaseName("IX_GenerationJobs_Deleted").HasFilter(DeletedFilter);
    }

    public void Configure(EntityTypeBuilder<GeneratedImage> builder)
    {
        builder.HasQueryFilter(Filter, i => i.DeletedAt == null);
        builder.HasIndex(i => i.DeletedAt).HasDatabaseName("IX_GeneratedImages_Deleted").HasFilter(DeletedFilter);
    }

    // A gallery's place of a deleted image is kept (Undo brings it back) but not shown, nor counted.
    public void Configure(EntityTypeBuilder<GalleryItem> builder) =>
        builder.HasQueryFilter(Filter, i => i.Image!.DeletedAt == null);
}
