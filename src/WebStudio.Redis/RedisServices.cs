using Microsoft.Extensions.DependencyInjection.Extensions;
using WebStudio.Studio.Previews;
using WebStudio.Studio.Queue;

namespace WebStudio.Redis;

/// <summary>Redis for a studio host (web node or worker), when <c>Redis:Configuration</c> is set.</summary>
public static class RedisServices
{
    /// <summary>
    /// Registers the Redis progress relay (in place of the database's frames) and the queue signals, and returns the
    /// options; returns null, registering nothing, when Redis is not configured. Call it after <c>AddStudioCore</c>.
    /// </summary>
    public static StudioRedisOptions? AddStudioRedis(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(StudioRedisOptions.Section);
        var options = section.Get<StudioRedisOptions>();
        if (options is not { Enabled: true })
        {
            return null;
        }

        services.Configure<StudioRedisOptions>(section);
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<RedisProgressRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisProgressRelay>());
        services.Replace(ServiceDescriptor.Singleton<IProgressRelay>(sp => sp.GetRequiredService<RedisProgressRelay>()));
        services.AddHostedService<RedisQueueSignals>();
        // Redis carries the queue's signals instead of PostgreSQL's LISTEN/NOTIFY.
        foreach (var listener in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(PostgresQueueSignals)).ToList())
        {
            services.Remove(listener);
        }
        return options;
    }
}
