using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class RolePolicyConfiguration : IEntityTypeConfiguration<RolePolicy>
{
    public void Configure(EntityTypeBuilder<RolePolicy> builder)
    {
        builder.ToTable("RolePolicies");
        builder.HasKey(p => p.Role);
        builder.Property(p => p.Role).HasMaxLength(256);
        builder.Property(p => p.AllowedModels).IsRequired().HasMaxLength(4000);
        // The three roles start as before this table existed: everyone may do everything; a Viewer only looks.
        builder.HasData(
            new RolePolicy { Role = StudioRoles.Admin },
            new RolePolicy { Role = StudioRoles.Member },
            new RolePolicy { Role = StudioRoles.Viewer, CanGenerate = false, CanUseApi = false, CanShare = false, CanUpscale = false });
    }
}
