using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using WebStudio.Studio.Options;

namespace WebStudio.Web.Security;

/// <summary>
/// Data Protection (login cookies, antiforgery tokens, signed image links) keeps its key ring in the studio's data
/// folder, beside the database, so a restart, or a second process on the same data, reads the same keys.
/// </summary>
public static class StudioDataProtection
{
    public const string KeysFolder = "data-protection-keys";

    public static void AddStudioDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("WebStudio");

        // What PersistKeysToFileSystem does, but with the folder resolved from options when the ring is first used
        // (not read here), so that hosts and tests that add configuration later are honoured.
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<StudioOptions>, ILoggerFactory>((keys, studio, logging) =>
            keys.XmlRepository = new FileSystemXmlRepository(KeysDirectory(studio.Value), logging));
    }

    /// <summary>The key ring's folder, made readable by the studio's account only.</summary>
    public static DirectoryInfo KeysDirectory(StudioOptions studio)
    {
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(studio.DatabasePath))!, KeysFolder);
        return OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
