using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebStudio.Data.Configurations;

public sealed class WorkerRecordConfiguration : IEntityTypeConfiguration<WorkerRecord>
{
    public void Configure(EntityTypeBuilder<WorkerRecord> builder)
    {
        builder.ToTable("Workers");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).HasMaxLength(100); // as GenerationJob.WorkerId
        builder.Property(w => w.HostName).IsRequired().HasMaxLength(255);
        // The lists are primitive collections: JSON text on SQLite, arrays on PostgreSQL.
        builder.Property(w => w.Devices).IsRequired();
        builder.Property(w => w.Models).IsRequired();
        builder.Property(w => w.LoadedModels).IsRequired();
    }
}
