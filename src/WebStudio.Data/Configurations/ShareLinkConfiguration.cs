using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class ShareLinkConfiguration : IEntityTypeConfiguration<ShareLink>
{
    public void Configure(EntityTypeBuilder<ShareLink> builder)
    {
        builder.ToTable("ShareLinks");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.OwnerId).IsRequired().HasMaxLength(450);
        builder.Property(s => s.TokenHash).IsRequired().HasMaxLength(32);
        builder.Property(s => s.Label).IsRequired().HasMaxLength(200);

        // Every public request looks its link up by this hash.
        builder.HasIndex(s => s.TokenHash).IsUnique();
        builder.HasIndex(s => new { s.OwnerId, s.CreatedAt });
        builder.HasOne<StudioUser>().WithMany().HasForeignKey(s => s.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(s => s.Gallery).WithMany().HasForeignKey(s => s.GalleryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(s => s.Image).WithMany().HasForeignKey(s => s.ImageId).OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t => t.HasCheckConstraint("CK_ShareLinks_OneTarget", "(GalleryId IS NULL) <> (ImageId IS NULL)"));
    }
}
