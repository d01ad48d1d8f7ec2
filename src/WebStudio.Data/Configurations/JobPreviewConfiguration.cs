using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class JobPreviewConfiguration : IEntityTypeConfiguration<JobPreview>
{
    public void Configure(EntityTypeBuilder<JobPreview> builder)
    {
        builder.ToTable("JobPreviews");
        builder.HasKey(p => p.JobId);
        builder.HasOne<GenerationJob>().WithOne().HasForeignKey<JobPreview>(p => p.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
