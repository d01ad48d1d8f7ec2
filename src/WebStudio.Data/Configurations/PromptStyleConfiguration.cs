using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class PromptStyleConfiguration : IEntityTypeConfiguration<PromptStyle>
{
    public void Configure(EntityTypeBuilder<PromptStyle> builder)
    {
        builder.ToTable("PromptStyles");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.OwnerId).IsRequired().HasMaxLength(450);
        builder.Property(s => s.Name).IsRequired().HasMaxLength(100);
        builder.Property(s => s.Prompt).IsRequired().HasMaxLength(2000);
        builder.Property(s => s.NegativePrompt).IsRequired().HasMaxLength(2000);
        builder.HasOne<StudioUser>().WithMany().HasForeignKey(s => s.OwnerId).OnDelete(DeleteBehavior.Cascade);

        // Saving a style under a name it already has replaces it, as in A1111.
        builder.HasIndex(s => new { s.OwnerId, s.Name }).IsUnique();
    }
}
