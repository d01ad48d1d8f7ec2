using System.IO.Compression;

namespace WebStudio.Studio.ModelManagement;

/// <summary>
/// Unpacks a zip into a folder without trusting it: every entry must land inside the folder (no "..", no absolute
/// path, no drive), the entries' declared sizes and count must stay within the limits, and the bytes actually
/// written are counted too (a declared size can lie). Any breach refuses the whole zip.
/// </summary>
public static class SafeZip
{
    /// <summary>Extracts <paramref name="zip"/> into <paramref name="folder"/>; <paramref name="checkSpace"/> is
    /// given the declared total before anything is written. Returns the bytes written.</summary>
    public static async Task<long> ExtractAsync(Stream zip, string folder, long maxBytes, int maxEntries, Action<long> checkSpace,
        Action<long, long> progress, CancellationToken cancellation)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new ModelInstallException($"This is not a zip file: {e.Message}", e);
        }

        using (archive)
        {
            var root = Path.GetFullPath(folder);
            if (archive.Entries.Count > maxEntries)
            {
                throw new ModelInstallException($"The zip holds {archive.Entries.Count} entries; at most {maxEntries} are accepted.");
            }

            var targets = new List<(ZipArchiveEntry Entry, string Path)>();
            foreach (var entry in archive.Entries)
            {
                var name = entry.FullName.Replace('\\', '/');
                var target = Path.GetFullPath(Path.Combine(root, name));
                if (Path.IsPathRooted(name) || name.Split('/').Contains("..") || !target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new ModelInstallException($"The zip entry '{entry.FullName}' would be written outside the model folder; the zip is refused.");
                }

                targets.Add((entry, target));
            }

            var declared = archive.Entries.Sum(e => e.Length);
            if (declared > maxBytes)
            {
                throw new ModelInstallException($"The zip unpacks to {declared} bytes; at most {maxBytes} are accepted (Models:MaxZipBytes).");
            }

            checkSpace(declared);
            long written = 0;
            var buffer = new byte[1 << 16];
            foreach (var (entry, target) in targets)
            {
                if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\'))
                {
                    Directory.CreateDirectory(target);
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await using var input = entry.Open();
                await using var output = File.Create(target);
                int read;
                while ((read = await input.ReadAsync(buffer, cancellation)) > 0)
                {
                    written += read;
                    if (written > maxBytes)
                    {
                        throw new ModelInstallException($"The zip unpacks to more than {maxBytes} bytes (Models:MaxZipBytes); it is refused.");
                    }

                    await output.WriteAsync(buffer.AsMemory(0, read), cancellation);
                }

                progress(written, declared);
            }

            return written;
        }
    }
}
