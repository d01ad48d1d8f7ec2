using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.OwnerId).IsRequired().HasMaxLength(450);
        builder.Property(k => k.Name).IsRequired().HasMaxLength(100);
        builder.Property(k => k.Hash).IsRequired().HasMaxLength(64);
        builder.Property(k => k.Prefix).IsRequired().HasMaxLength(16);
        builder.HasOne(k => k.Owner).WithMany().HasForeignKey(k => k.OwnerId).OnDelete(DeleteBehavior.Cascade);

        // Every API request looks its key up by hash.
        builder.HasIndex(k => k.Hash).IsUnique();
        builder.HasIndex(k => new { k.OwnerId, k.CreatedAt });
    }
}
