using System.Security.Cryptography;

namespace WebStudio.Studio.ModelManagement;

/// <summary>
/// The SHA-256 of a file being downloaded, fed as its bytes arrive, so that a finished download is checked without
/// reading it again in full (an SDXL UNet's weights are 5 GB). Bytes already on disk that it has not seen (a download
/// resumed from an earlier install, or one already whole) are read once, to catch up.
/// </summary>
public sealed class DownloadHash : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>The bytes hashed so far, from the file's start.</summary>
    public long Count { get; private set; }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _hash.AppendData(bytes);
        Count += bytes.Length;
    }

    /// <summary>Forgets what was hashed: the server is sending the whole file again.</summary>
    public void Restart()
    {
        _hash.GetHashAndReset();
        Count = 0;
    }

    /// <summary>Hashes the bytes of <paramref name="path"/> past those already hashed, up to <paramref name="length"/>;
    /// starts over when the file is shorter than what was hashed.</summary>
    public async Task CatchUpAsync(string path, long length, CancellationToken cancellation)
    {
        if (Count > length)
        {
            Restart();
        }

        if (Count == length)
        {
            return;
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        stream.Seek(Count, SeekOrigin.Begin);
        var buffer = new byte[1 << 16];
        while (Count < length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - Count)), cancellation);
            if (read == 0)
            {
                throw new IOException($"{path} ended at {Count} bytes, before the {length} being hashed.");
            }

            Append(buffer.AsSpan(0, read));
        }
    }

    /// <summary>The file's SHA-256 in lower-case hex, after catching up with whatever of it was not seen.</summary>
    public async Task<string> FinishAsync(string path, CancellationToken cancellation)
    {
        await CatchUpAsync(path, new FileInfo(path).Length, cancellation);
        Count = 0;
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    public void Dispose() => _hash.Dispose();
}
