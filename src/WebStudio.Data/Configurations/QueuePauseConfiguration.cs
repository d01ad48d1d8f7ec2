using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class QueuePauseConfiguration : IEntityTypeConfiguration<QueuePause>
{
    /// <summary>The table the claim's SQL looks at (QueueOrderSql).</summary>
    public const string Table = "QueuePauses";

    public void Configure(EntityTypeBuilder<QueuePause> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.PausedBy).IsRequired().HasMaxLength(256);
        builder.Property(p => p.Reason).IsRequired().HasMaxLength(500);
    }
}
