using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class GalleryConfiguration : IEntityTypeConfiguration<Gallery>
{
    public void Configure(EntityTypeBuilder<Gallery> builder)
    {
        builder.ToTable("Galleries");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.OwnerId).IsRequired().HasMaxLength(450);
        builder.Property(g => g.Name).IsRequired().HasMaxLength(200);
        builder.Property(g => g.Description).IsRequired().HasMaxLength(4000);
        builder.HasOne<StudioUser>().WithMany().HasForeignKey(g => g.OwnerId).OnDelete(DeleteBehavior.Cascade);

        // A deleted cover image leaves the gallery without a cover rather than blocking the delete.
        builder.HasOne<GeneratedImage>().WithMany().HasForeignKey(g => g.CoverImageId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(g => new { g.OwnerId, g.Position });
    }
}
