using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class UsageRecordConfiguration : IEntityTypeConfiguration<UsageRecord>
{
    public void Configure(EntityTypeBuilder<UsageRecord> builder)
    {
        builder.ToTable("UsageRecords");
        builder.HasKey(r => r.JobId);
        builder.Property(r => r.JobId).ValueGeneratedNever();
        builder.Property(r => r.OwnerId).IsRequired().HasMaxLength(450);
        builder.Property(r => r.UserName).IsRequired().HasMaxLength(256);
        builder.Property(r => r.Model).IsRequired().HasMaxLength(200);
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);

        // The usage page reads a range of days (finish time first); the daily quotas one owner's day.
        builder.HasIndex(r => r.FinishedAt);
        builder.HasIndex(r => new { r.OwnerId, r.FinishedAt });
    }
}
