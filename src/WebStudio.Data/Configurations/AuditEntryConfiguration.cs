using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditLog");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.ActorId).IsRequired().HasMaxLength(450);
        builder.Property(a => a.ActorName).IsRequired().HasMaxLength(256);
        builder.Property(a => a.Action).IsRequired().HasMaxLength(64);
        builder.Property(a => a.Target).IsRequired().HasMaxLength(256);
        builder.Property(a => a.Details).IsRequired().HasMaxLength(2000);
        // The page reads newest first.
        builder.HasIndex(a => a.At);
    }
}
