using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class UserQueueStateConfiguration : IEntityTypeConfiguration<UserQueueState>
{
    public void Configure(EntityTypeBuilder<UserQueueState> builder)
    {
        builder.ToTable("UserQueueStates");
        builder.HasKey(s => s.UserId);
        builder.Property(s => s.UserId).HasMaxLength(450);
        builder.HasOne<StudioUser>().WithOne().HasForeignKey<UserQueueState>(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        // The round being served now is MAX(LastServedRound): one look at this index's end.
        builder.HasIndex(s => s.LastServedRound);
    }
}
