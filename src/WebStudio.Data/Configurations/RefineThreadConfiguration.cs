using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class RefineThreadConfiguration : IEntityTypeConfiguration<RefineThread>, IEntityTypeConfiguration<RefineTurn>
{
    public void Configure(EntityTypeBuilder<RefineThread> builder)
    {
        builder.ToTable("RefineThreads");
        builder.Property(t => t.OwnerId).IsRequired().HasMaxLength(450);

        // A thread goes with its account, as galleries do.
        builder.HasOne<StudioUser>().WithMany().HasForeignKey(t => t.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.Title).HasMaxLength(200);
        builder.HasIndex(t => new { t.OwnerId, t.UpdatedAt });
    }

    public void Configure(EntityTypeBuilder<RefineTurn> builder)
    {
        builder.ToTable("RefineTurns");
        builder.HasOne(t => t.Thread).WithMany(t => t.Turns).HasForeignKey(t => t.ThreadId).OnDelete(DeleteBehavior.Cascade);

        // A job purged from History takes its turn with it; the thread keeps the rest.
        builder.HasOne(t => t.Job).WithMany().HasForeignKey(t => t.JobId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => new { t.ThreadId, t.Number }).IsUnique();
        builder.HasIndex(t => t.JobId);
    }
}
