using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using WebStudio.Studio.Storage;

namespace WebStudio.Studio.History;

/// <summary>
/// Finds the A1111 "parameters" text chunk (tEXt, zTXt or iTXt) of an uploaded PNG by walking its chunks, without
/// decoding pixels. The text is bounded by <see cref="MaxTextBytes"/>, its inflated size included: a compressed chunk
/// is inflated no further than the limit, so a small zTXt that would inflate to hundreds of megabytes costs nothing.
/// </summary>
public static class PngParametersReader
{
    /// <summary>The largest "parameters" text read, in bytes once inflated. A1111's own are a few kilobytes.</summary>
    public const int MaxTextBytes = 64 * 1024;

    // A compressed payload this large cannot hold a text within the limit (deflate adds a few bytes per 64 kB).
    private const int MaxPayloadBytes = 2 * MaxTextBytes;

    // Keywords are 1 to 79 Latin-1 characters and a NUL.
    private const int MaxKeywordBytes = 80;

    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The chunk's text: the first "parameters" chunk (keyword compared ignoring case).</summary>
    /// <exception cref="InvalidDataException">The file is not a PNG, is damaged, has no such chunk, or its text is over
    /// <see cref="MaxTextBytes"/>; the message names the file (and the limit) and is meant for the user.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<string> ReadAsync(Stream png, string fileName, CancellationToken cancellationToken = default)
    {
        var header = new byte[8];
        if (await png.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken) < header.Length
            || !header.AsSpan().SequenceEqual(Signature))
        {
            throw new InvalidDataException($"{fileName}: the file is not a PNG image");
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await png.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken) < header.Length)
            {
                throw Damaged(fileName, "it ends before its IEND chunk");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (length > int.MaxValue)
            {
                throw Damaged(fileName, "a chunk declares an impossible length");
            }

            var type = Encoding.ASCII.GetString(header, 4, 4);
            if (type == "IEND")
            {
                throw new InvalidDataException($"{fileName}: the PNG has no \"parameters\" text chunk (it was not saved by WebStudio, A1111 or a compatible tool)");
            }

            if (type is "tEXt" or "zTXt" or "iTXt")
            {
                if (await ReadTextChunkAsync(png, type, (int)length, fileName, cancellationToken) is { } text)
                {
                    return string.IsNullOrWhiteSpace(text)
                        ? throw new InvalidDataException($"{fileName}: the PNG's \"parameters\" text chunk is empty")
                        : text;
                }
            }
            else
            {
                await SkipAsync(png, length, fileName, cancellationToken);
            }

            await SkipAsync(png, 4, fileName, cancellationToken); // the CRC
        }
    }

    /// <summary>The chunk's text when its keyword is "parameters"; otherwise the chunk is skipped and null returned.</summary>
    private static async Task<string?> ReadTextChunkAsync(Stream png, string type, int length, string fileName, CancellationToken cancellationToken)
    {
        var start = new byte[Math.Min(length, MaxKeywordBytes)];
        await ReadExactlyAsync(png, start, fileName, cancellationToken);
        var end = Array.IndexOf(start, (byte)0);
        if (end < 1 || !Encoding.Latin1.GetString(start, 0, end).Equals(A1111Parameters.ChunkKeyword, StringComparison.OrdinalIgnoreCase))
        {
            await SkipAsync(png, (uint)(length - start.Length), fileName, cancellationToken);
            return null;
        }

        var payloadLength = length - end - 1;
        if (payloadLength > (type == "tEXt" ? MaxTextBytes : MaxPayloadBytes))
        {
            throw TooLarge(fileName);
        }

        var payload = new byte[payloadLength];
        var alreadyRead = start.Length - end - 1;
        start.AsSpan(end + 1).CopyTo(payload);
        await ReadExactlyAsync(png, payload.AsMemory(alreadyRead), fileName, cancellationToken);
        return type switch
        {
            "tEXt" => Encoding.Latin1.GetString(payload),
            "zTXt" => Encoding.Latin1.GetString(Inflate(payload, 1, fileName)), // after the compression method byte
            _ => InternationalText(payload, fileName),
        };
    }

    // iTXt: compression flag, compression method, language tag NUL, translated keyword NUL, then UTF-8 text.
    private static string InternationalText(byte[] payload, string fileName)
    {
        var language = payload.Length >= 2 ? Array.IndexOf(payload, (byte)0, 2) : -1;
        var translated = language < 0 ? -1 : Array.IndexOf(payload, (byte)0, language + 1);
        if (translated < 0)
        {
            throw Damaged(fileName, "its \"parameters\" iTXt chunk is malformed");
        }

        if (payload[0] != 0)
        {
            return Encoding.UTF8.GetString(Inflate(payload, translated + 1, fileName));
        }

        var textLength = payload.Length - translated - 1;
        return textLength > MaxTextBytes ? throw TooLarge(fileName) : Encoding.UTF8.GetString(payload, translated + 1, textLength);
    }

    /// <summary>Inflates the zlib stream at <paramref name="offset"/>, but never past <see cref="MaxTextBytes"/>.</summary>
    private static byte[] Inflate(byte[] payload, int offset, string fileName)
    {
        if (offset > payload.Length)
        {
            throw Damaged(fileName, "its \"parameters\" chunk is malformed");
        }

        var text = new byte[MaxTextBytes + 1];
        int read;
        try
        {
            using var inflater = new ZLibStream(new MemoryStream(payload, offset, payload.Length - offset), CompressionMode.Decompress);
            read = inflater.ReadAtLeast(text, text.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException) // zlib's own errors (ZLibException) are IOExceptions
        {
            throw Damaged(fileName, "its \"parameters\" chunk does not inflate");
        }

        return read > MaxTextBytes ? throw TooLarge(fileName) : text[..read];
    }

    private static async Task SkipAsync(Stream png, uint count, string fileName, CancellationToken cancellationToken)
    {
        if (png.CanSeek)
        {
            if (png.Length - png.Position < count)
            {
                throw Damaged(fileName, "it ends inside a chunk");
            }

            png.Seek(count, SeekOrigin.Current);
            return;
        }

        var buffer = new byte[Math.Min(count, 64 * 1024)];
        while (count > 0)
        {
            var part = (int)Math.Min(count, (uint)buffer.Length);
            await ReadExactlyAsync(png, buffer.AsMemory(0, part), fileName, cancellationToken);
            count -= (uint)part;
        }
    }

    private static async Task ReadExactlyAsync(Stream png, Memory<byte> buffer, string fileName, CancellationToken cancellationToken)
    {
        if (await png.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken) < buffer.Length)
        {
            throw Damaged(fileName, "it ends inside a chunk");
        }
    }

    private static InvalidDataException TooLarge(string fileName) =>
        new($"{fileName}: the \"parameters\" text chunk is larger than {MaxTextBytes / 1024} KB, the most that is read (inflated size included)");

    private static InvalidDataException Damaged(string fileName, string why) => new($"{fileName}: the PNG image is damaged ({why})");
}
