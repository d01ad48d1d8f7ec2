using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.FileProviders;

namespace WebStudio.Web.Components;

/// <summary>
/// The studio's own scripts and styles (wwwroot-assets, served under /assets) linked with their content's hash
/// ("assets/css/studio.css?v=3f2a…"), so that a browser keeps them for a year without asking again: every page
/// otherwise revalidated its render- and parser-blocking files before the first paint (issue 20, History). An edited
/// file gets a new hash, hence a new URL, at the next start.
/// </summary>
public static class StudioAssets
{
    public const string RequestPath = "/assets";

    private const string VersionKey = "v";

    private static readonly ConcurrentDictionary<string, string> Versions = new(StringComparer.Ordinal);

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");

    /// <summary>The versioned URL of a file under wwwroot-assets, e.g. <c>Url("css/studio.css")</c>.</summary>
    public static string Url(string file) => $"{RequestPath.TrimStart('/')}/{file}?{VersionKey}={Version(file)}";

    /// <summary>The static-file options of /assets: a year and immutable for a request that names the file's current
    /// hash; the browser's own heuristics otherwise (the modules pages import by their plain path).</summary>
    public static StaticFileOptions StaticFiles() => new()
    {
        FileProvider = new PhysicalFileProvider(Folder),
        RequestPath = RequestPath,
        OnPrepareResponse = context =>
        {
            var request = context.Context.Request;
            if (request.Query.TryGetValue(VersionKey, out var version) && request.Path.StartsWithSegments(RequestPath, out var file)
                && version == Version(file.Value!.TrimStart('/')))
            {
                context.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            }
        },
    };

    private static string Version(string file) => Versions.GetOrAdd(file, static name =>
    {
        var path = Path.GetFullPath(Path.Combine(Folder, name));
        if (!path.StartsWith(Folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
        {
            return "";
        }

        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..12];
    });
}
