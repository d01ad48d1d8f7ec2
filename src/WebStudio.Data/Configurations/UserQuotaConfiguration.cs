using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class UserQuotaConfiguration : IEntityTypeConfiguration<UserQuota>
{
    public void Configure(EntityTypeBuilder<UserQuota> builder)
    {
        builder.ToTable("UserQuotas");
        builder.HasKey(q => q.UserId);
        builder.Property(q => q.UserId).HasMaxLength(450);
        builder.HasOne<StudioUser>().WithOne().HasForeignKey<UserQuota>(q => q.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
