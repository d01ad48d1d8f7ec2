using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using WebStudio.Studio.Options;

namespace WebStudio.Web.Security;

/// <summary>
/// Data Protection (login cookies, antiforgery tokens, signed image links) keeps its key ring in the studio's
/// database, so every web node on that database, and every restart, reads the same keys: a cookie made by one node
/// is accepted by another. Releases before this kept the ring in a folder beside the SQLite file; keys found there
/// and not yet in the database are imported once, when the ring is first read, so existing sign-ins survive.
/// </summary>
public static class StudioDataProtection
{
    /// <summary>The old key ring's folder, beside the SQLite database; read for the import only.</summary>
    public const string KeysFolder = "data-protection-keys";

    public static void AddStudioDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("WebStudio");

        // What PersistKeysToDbContext does, with the old folder's keys imported first and new keys stored one node at a
        // time (SerializedKeyCreation); resolved from options when the ring is first used, so that hosts and tests
        // that add configuration later are honoured.
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider, IOptions<StudioOptions>, ILoggerFactory>((keys, provider, studio, logging) =>
        {
            var logger = logging.CreateLogger(typeof(StudioDataProtection));
            keys.XmlRepository = new ImportingKeyRepository(new SerializedKeyCreation(provider, logger), provider, LegacyKeysDirectory(studio.Value), logger);
        });
    }

    /// <summary>Where releases before the database key ring kept it: beside the SQLite file.</summary>
    public static DirectoryInfo LegacyKeysDirectory(StudioOptions studio) =>
        new(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(studio.DatabasePath))!, KeysFolder));
}
