using System.Security.Cryptography;
using WebStudio.Studio.ModelManagement;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.ModelManagement;

/// <summary>A Hub download is hashed as its bytes arrive; the bytes it did not see arrive (a resumed file's first part,
/// a file already whole) are read once to catch up, so the SHA-256 is always the whole file's.</summary>
[Trait("Capability", "UserModels")]
public sealed class DownloadHashTests
{
    private static readonly byte[] Bytes = RandomNumberGenerator.GetBytes(200_000);
    private static readonly string Expected = Convert.ToHexStringLower(SHA256.HashData(Bytes));

    [Fact]
    public async Task Bytes_fed_as_they_arrive_give_the_files_hash_without_reading_it()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("weights.onnx_data");
        await File.WriteAllBytesAsync(path, Bytes);
        using var hash = new DownloadHash();

        hash.Append(Bytes.AsSpan(0, 70_000));
        hash.Append(Bytes.AsSpan(70_000));

        Assert.Equal(Bytes.Length, hash.Count);
        Assert.Equal(Expected, await hash.FinishAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task A_resumed_download_catches_up_with_the_part_on_disk_then_takes_the_rest_as_it_arrives()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("weights.onnx_data");
        await File.WriteAllBytesAsync(path, Bytes[..123_457]); // an earlier install's part
        using var hash = new DownloadHash();

        await hash.CatchUpAsync(path, 123_457, CancellationToken.None);
        await using (var output = new FileStream(path, FileMode.Append))
        {
            await output.WriteAsync(Bytes.AsMemory(123_457));
        }

        hash.Append(Bytes.AsSpan(123_457));
        Assert.Equal(Expected, await hash.FinishAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task A_file_already_whole_or_shorter_than_what_was_hashed_is_read_from_its_start()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("weights.onnx_data");
        await File.WriteAllBytesAsync(path, Bytes);
        using var hash = new DownloadHash();
        Assert.Equal(Expected, await hash.FinishAsync(path, CancellationToken.None));

        // Hashed past what the file holds (a write that did not reach the disk): started over from the file.
        hash.Append(new byte[300_000]);
        Assert.Equal(Expected, await hash.FinishAsync(path, CancellationToken.None));

        // A corrupted byte changes the hash.
        var corrupted = (byte[])Bytes.Clone();
        corrupted[100] ^= 1;
        await File.WriteAllBytesAsync(path, corrupted);
        Assert.NotEqual(Expected, await hash.FinishAsync(path, CancellationToken.None));
    }
}
