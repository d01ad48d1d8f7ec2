using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using WebStudio.Web.Storage;

namespace WebStudio.Web.History;

/// <summary>Finds the A1111 "parameters" text chunk (tEXt, zTXt or iTXt) of an uploaded PNG without decoding its pixels.</summary>
public static class PngParametersReader
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The chunk's text; <see cref="InvalidDataException"/> with a message for the user when there is none.</summary>
    public static async Task<string> ReadAsync(Stream png, string fileName, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await png.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.Length < Signature.Length || !bytes[..Signature.Length].SequenceEqual(Signature))
        {
            throw new InvalidDataException($"{fileName}: the file is not a PNG image");
        }

        buffer.Position = 0;
        IImageInfo info;
        try
        {
            info = Image.Identify(buffer) ?? throw new InvalidDataException($"{fileName}: the PNG image could not be read");
        }
        catch (ImageFormatException e)
        {
            throw new InvalidDataException($"{fileName}: the PNG image is damaged ({e.Message})");
        }

        var text = info.Metadata.GetPngMetadata().TextData
            .FirstOrDefault(t => string.Equals(t.Keyword, A1111Parameters.ChunkKeyword, StringComparison.OrdinalIgnoreCase)).Value;
        return string.IsNullOrWhiteSpace(text)
            ? throw new InvalidDataException($"{fileName}: the PNG has no \"parameters\" text chunk (it was not saved by WebStudio, A1111 or a compatible tool)")
            : text;
    }
}
