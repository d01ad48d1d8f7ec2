using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class AdministratorClaimConfiguration : IEntityTypeConfiguration<AdministratorClaim>
{
    public void Configure(EntityTypeBuilder<AdministratorClaim> builder)
    {
        builder.ToTable("AdministratorClaims", table => table.HasCheckConstraint("CK_AdministratorClaims_OnlyOne", $"\"Id\" = {AdministratorClaim.OnlyId}"));
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.UserId).IsRequired().HasMaxLength(450);
        // Deleting the administrator's account frees the claim for the next registration, as before.
        builder.HasOne(c => c.User).WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
