using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace WebStudio.Data;

/// <summary>Identity, the generation queue, image metadata and the Data Protection key ring (shared by every web
/// node) in one database: SQLite or PostgreSQL.</summary>
public sealed class StudioDbContext(DbContextOptions<StudioDbContext> options) : IdentityDbContext<StudioUser>(options), IDataProtectionKeyContext
{
    public DbSet<GenerationJob> Jobs => Set<GenerationJob>();

    public DbSet<GeneratedImage> Images => Set<GeneratedImage>();

    public DbSet<UserQueueState> QueueStates => Set<UserQueueState>();

    public DbSet<QueuePause> QueuePauses => Set<QueuePause>();

    public DbSet<JobPreview> JobPreviews => Set<JobPreview>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Gallery> Galleries => Set<Gallery>();

    public DbSet<GalleryItem> GalleryItems => Set<GalleryItem>();

    public DbSet<GalleryThread> GalleryThreads => Set<GalleryThread>();

    public DbSet<ShareLink> ShareLinks => Set<ShareLink>();

    public DbSet<AdministratorClaim> AdministratorClaims => Set<AdministratorClaim>();

    public DbSet<WorkerRecord> Workers => Set<WorkerRecord>();

    public DbSet<RolePolicy> RolePolicies => Set<RolePolicy>();

    public DbSet<UserQuota> UserQuotas => Set<UserQuota>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<UsageRecord> UsageRecords => Set<UsageRecord>();

    public DbSet<RefineThread> RefineThreads => Set<RefineThread>();

    public DbSet<RefineTurn> RefineTurns => Set<RefineTurn>();

    public DbSet<PromptStyle> PromptStyles => Set<PromptStyle>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(StudioDbContext).Assembly);
        UtcDateTimes.Apply(builder);
        if (Database.IsNpgsql())
        {
            PostgresModel.Apply(builder);
        }
    }
}
