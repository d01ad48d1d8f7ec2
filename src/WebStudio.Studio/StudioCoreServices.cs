using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebStudio.Data;
using WebStudio.Generation.Models;
using WebStudio.Studio.Admin;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Editing;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Execution;
using WebStudio.Studio.Galleries;
using WebStudio.Studio.History;
using WebStudio.Studio.Maintenance;
using WebStudio.Studio.ModelManagement;
using WebStudio.Studio.Options;
using WebStudio.Studio.Plots;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Prompts;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Sharing;
using WebStudio.Studio.Storage;
using WebStudio.Studio.Styles;
using WebStudio.Studio.Team;
using WebStudio.Studio.Telemetry;
using WebStudio.Studio.Vocabulary;
using WebStudio.Studio.Workers;

namespace WebStudio.Studio;

/// <summary>The studio's application core for any host: the web app registers it, and so does the worker.</summary>
public static class StudioCoreServices
{
    /// <summary>Options, the database, storage, the queue (submission side), progress, and the history, gallery,
    /// sharing, edit and API-key services, with the ONNX engine.</summary>
    public static IServiceCollection AddStudioCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StudioOptions>(configuration.GetSection(StudioOptions.Section));
        services.Configure<QueueOptions>(configuration.GetSection(QueueOptions.Section));
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.Section));
        services.Configure<GenerationOptions>(configuration.GetSection(GenerationOptions.Section));
        services.AddSingleton<IValidateOptions<GenerationOptions>, GenerationOptionsValidation>();
        services.AddOptions<GenerationOptions>().ValidateOnStart();
        services.Configure<WorkerOptions>(configuration.GetSection(WorkerOptions.Section));

        // Resolved from options (not read here) so that hosts and tests that add configuration later are honoured.
        services.AddDbContextFactory<StudioDbContext>((provider, options) =>
        {
            var studio = provider.GetRequiredService<IOptions<StudioOptions>>().Value;
            options.UseStudioDatabase(studio.Database, studio.ConnectionString, studio.DatabasePath);
        });

        // The ONNX engine; integration tests replace it with ConfigureTestServices.
        services.AddSingleton<IGenerationEngine, OnnxGenerationEngine>();
        services.AddSingleton(provider => new ComputeThreads(provider.GetRequiredService<IOptions<GenerationOptions>>().Value.ComputeNice));

        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<StudioMetrics>();
        services.AddSingleton<ImageStore>();
        services.AddSingleton<OrphanImageSweep>();
        services.AddSingleton<JobProgressNotifier>();
        services.AddSingleton<QueueSignal>();
        services.AddSingleton<RunningJobs>();
        services.AddSingleton<SubmissionRateLimiter>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<JobLeases>();
        services.AddSingleton<UnservedJobs>();
        services.AddSingleton<WorkerRegistry>();
        services.AddSingleton<SeedSource>();
        services.AddSingleton<JobInputStore>();
        services.AddSingleton<JobAccess>();
        services.AddSingleton<QueueSnapshot>();
        services.AddSingleton<Usage.UsageMetering>();
        services.AddSingleton<SharedProgressRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<SharedProgressRelay>());
        services.AddSingleton<IProgressRelay>(sp => sp.GetRequiredService<SharedProgressRelay>()); // Redis replaces it
        services.AddHostedService<PostgresQueueSignals>(); // idle on SQLite; Redis replaces it
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<TeamPolicies>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AccountStatus>();
        services.AddSingleton<UserAdministration>();
        services.AddSingleton<QueueAdministration>();
        services.AddSingleton<Invitations>();

        services.AddSingleton<ThumbnailStore>();
        services.AddSingleton<HistoryService>();
        services.AddSingleton<IMaintenanceTask, DeletedJobsSweep>();
        services.AddHostedService<MaintenanceScheduler>(); // the sweeps, on one timer
        services.AddSingleton<RecentWork>();
        services.AddSingleton<GalleryService>();
        services.AddSingleton<PromptStyleService>();
        services.AddSingleton(provider => new Wildcards(Path.GetFullPath(provider.GetRequiredService<IOptions<StudioOptions>>().Value.WildcardsPath)));
        services.AddSingleton<DynamicPromptSubmission>();
        services.AddSingleton<XyPlotSubmission>();
        services.AddSingleton<ShareLinkService>();
        services.AddSingleton<ModelCards>();
        services.AddModelManagement(configuration);
        services.AddEditing();
        services.AddSingleton<Refine.RefineThreads>();
        services.AddSingleton<Refine.RefineThreadDeletion>();
        return services;
    }

    /// <summary>The queue workers that claim and run jobs; a host with <c>Queue:RunJobs=false</c> gets none.</summary>
    public static IServiceCollection AddQueueWorkers(this IServiceCollection services)
    {
        services.AddSingleton<DiffusionExecutor>();
        services.AddSingleton<UpscaleRunner>();
        services.AddSingleton<JobExecutors>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<DeviceWorkers>();
        services.AddSingleton<WorkerModelList>();
        services.AddHostedService<QueueWorkerService>();
        return services;
    }
}
