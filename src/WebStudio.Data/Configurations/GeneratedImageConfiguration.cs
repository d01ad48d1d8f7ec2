using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class GeneratedImageConfiguration : IEntityTypeConfiguration<GeneratedImage>
{
    public void Configure(EntityTypeBuilder<GeneratedImage> builder)
    {
        builder.ToTable("GeneratedImages");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.OwnerId).IsRequired().HasMaxLength(450);
        builder.Property(i => i.FileName).IsRequired().HasMaxLength(260);
        builder.HasIndex(i => new { i.OwnerId, i.CreatedAt });
        builder.HasIndex(i => i.JobId);
    }
}
