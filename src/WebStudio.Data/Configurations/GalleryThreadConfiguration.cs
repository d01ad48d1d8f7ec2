using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class GalleryThreadConfiguration : IEntityTypeConfiguration<GalleryThread>
{
    public void Configure(EntityTypeBuilder<GalleryThread> builder)
    {
        builder.ToTable("GalleryThreads");
        builder.HasKey(t => new { t.GalleryId, t.ThreadId });

        // Deleting a gallery removes its placements only; deleting a thread removes it from every gallery.
        builder.HasOne(t => t.Gallery).WithMany(g => g.Threads).HasForeignKey(t => t.GalleryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(t => t.Thread).WithMany().HasForeignKey(t => t.ThreadId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => t.ThreadId);
    }
}
