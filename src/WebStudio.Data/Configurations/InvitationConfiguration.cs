using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.ToTable("Invitations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.TokenHash).IsRequired().HasMaxLength(64);
        builder.Property(i => i.Role).IsRequired().HasMaxLength(256);
        builder.Property(i => i.CreatedById).IsRequired().HasMaxLength(450);
        builder.Property(i => i.UsedByUserId).HasMaxLength(450);
        builder.HasIndex(i => i.TokenHash).IsUnique();
    }
}
