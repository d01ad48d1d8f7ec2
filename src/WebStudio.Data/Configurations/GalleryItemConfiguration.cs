using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class GalleryItemConfiguration : IEntityTypeConfiguration<GalleryItem>
{
    public void Configure(EntityTypeBuilder<GalleryItem> builder)
    {
        builder.ToTable("GalleryItems");
        builder.HasKey(i => new { i.GalleryId, i.ImageId });

        // Deleting a gallery removes its placements only; deleting an image removes it from every gallery.
        builder.HasOne(i => i.Gallery).WithMany(g => g.Items).HasForeignKey(i => i.GalleryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(i => i.Image).WithMany().HasForeignKey(i => i.ImageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(i => new { i.GalleryId, i.Position });
        builder.HasIndex(i => i.ImageId);
    }
}
