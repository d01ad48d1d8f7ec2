using System.Buffers.Binary;
using System.Diagnostics;
using CsCheck;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Web.History;
using WebStudio.Studio.History;

namespace WebStudio.Hardening.Tests.Parsers;

[Trait("Capability", "Hardening")]
public sealed class PngParametersReaderHardeningTests
{
    private const string Limit = "64 KB";

    [Theory]
    [InlineData(5 * 1024 * 1024, false)]
    [InlineData(64 * 1024 + 1, false)]
    [InlineData(64 * 1024 + 1, true)]
    public async Task A_text_chunk_over_the_limit_is_refused_naming_the_limit(int length, bool international)
    {
        var text = new string('A', length);
        var png = international
            ? PngTextChunks.WithChunk("iTXt", [.. "parameters"u8, 0, 0, 0, 0, 0, .. System.Text.Encoding.UTF8.GetBytes(text)])
            : PngTextChunks.WithText(text);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(png));

        Assert.Contains(Limit, error.Message);
        Assert.Equal(64 * 1024, PngParametersReader.MaxTextBytes);
    }

    [Theory]
    [InlineData(200)] // about 200 kB that would inflate to 200 MB: refused by its compressed size
    [InlineData(20)] // about 20 kB that would inflate to 20 MB: inflated up to the limit, then refused
    public async Task A_compressed_chunk_is_inflated_no_further_than_the_limit(int inflatedMegabytes)
    {
        var png = inflatedMegabytes == 200 ? PngTextChunks.CompressedTextOf200MB : PngTextChunks.WithCompressedText(inflatedMegabytes * 1024L * 1024);
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(png));

        Assert.Contains(Limit, error.Message);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocated, 0, 4 * 1024 * 1024);
    }

    [Fact]
    public async Task A_text_just_under_the_limit_is_read_plain_or_compressed()
    {
        var text = new string('A', PngParametersReader.MaxTextBytes);

        Assert.Equal(text, await ReadAsync(PngTextChunks.WithText(text)));
        Assert.Equal(text, await ReadAsync(PngTextChunks.WithCompressedText(PngParametersReader.MaxTextBytes)));
    }

    [Fact]
    public async Task A_canceled_request_stops_the_reader()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => PngParametersReader.ReadAsync(new MemoryStream(PngTextChunks.WithText("a cat")), "cat.png", canceled.Token));
    }

    [Fact]
    public void Any_text_the_png_encoder_writes_is_read_back_plain_compressed_or_international()
    {
        // Latin-1 text becomes tEXt or zTXt; anything beyond Latin-1 becomes iTXt.
        var pieces = Gen.OneOf("a", "XYZ", " ", ",", ":", "\n", "\"", "\\", "é", "ÿ", "漢", "🙂").Array[1, 100].Select(string.Concat);
        var anyChars = Gen.String[1, 300].Select(t => string.Concat(t.Select(c => char.IsSurrogate(c) || c == '\0' ? 'x' : c)));
        var texts = Gen.OneOf(pieces, anyChars).Where(t => !string.IsNullOrWhiteSpace(t));

        Gen.Select(texts, Gen.Bool, Gen.Bool).Sample((text, compressed, forwardOnly) =>
        {
            using var image = new Image<Rgb24>(1, 1);
            image.Metadata.GetPngMetadata().TextData.Add(new PngTextData("parameters", text, "", ""));
            using var png = new MemoryStream();
            image.SaveAsPng(png, new PngEncoder { TextCompressionThreshold = compressed ? 1 : int.MaxValue });

            Assert.Equal(text, ReadAsync(png.ToArray(), forwardOnly).GetAwaiter().GetResult());
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void Any_bytes_give_the_text_or_an_invalid_data_error_in_linear_time()
    {
        var valid = new[]
        {
            PngTextChunks.WithText("a fox\nSteps: 3, Sampler: Euler, CFG scale: 5, Seed: 9, Size: 8x8"),
            PngTextChunks.WithText("x", keyword: "comment"),
            PngTextChunks.WithCompressedText(3000),
            PngTextChunks.WithChunk("iTXt", [.. "parameters"u8, 0, 1, 0, 0, 0, .. PngTextChunks.Deflate(3000)]),
        };

        // Valid files mutated as an attacker would: bytes flipped, the file cut short, a chunk length made up.
        var mutated = Gen.Select(Gen.OneOf(valid), Gen.Int[0, 4], Gen.Int[0, int.MaxValue], Gen.UInt, Gen.Byte)
            .Select((png, kind, at, length, value) => Mutate(png, kind, at, length, value));
        var files = Gen.OneOf(mutated, Gen.Byte.Array[0, 200], Gen.Byte.Array[0, 100].Select(b => (byte[])[0x89, .. "PNG\r\n\u001a\n"u8, .. b]));

        Gen.Select(files, Gen.Bool).Sample((file, forwardOnly) =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                Assert.False(string.IsNullOrWhiteSpace(ReadAsync(file, forwardOnly).GetAwaiter().GetResult()));
            }
            catch (InvalidDataException e)
            {
                Assert.StartsWith("upload.png: ", e.Message);
            }

            Assert.True(clock.Elapsed < A1111ParameterParserHardeningTests.Budget(file.Length), $"{clock.Elapsed} for {file.Length} bytes");
        }, iter: 2000, threads: 1);
    }

    private static byte[] Mutate(byte[] png, int kind, int at, uint length, byte value)
    {
        var copy = png.ToArray();
        var position = at % copy.Length;
        switch (kind)
        {
            case 0:
                copy[position] = value;
                return copy;
            case 1:
                return copy[..position];
            case 2:
                BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(33), length); // the added chunk's length
                return copy;
            case 3:
                BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(33), length % 300);
                return copy;
            default:
                copy[41 + (at % Math.Max(1, copy.Length - 53))] = value; // inside the added chunk's data
                return copy;
        }
    }

    private static async Task<string> ReadAsync(byte[] png, bool forwardOnly = false)
    {
        using var stream = forwardOnly ? new ForwardOnlyStream(png) : new MemoryStream(png);
        return await PngParametersReader.ReadAsync(stream, "upload.png");
    }

    /// <summary>A stream that cannot seek, as a network body is.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
