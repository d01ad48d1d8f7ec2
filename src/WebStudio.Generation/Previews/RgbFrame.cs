namespace WebStudio.Generation.Previews;

/// <summary>A small interleaved RGB24 preview picture (row-major, 3 bytes a pixel).</summary>
public sealed record RgbFrame(byte[] Rgb, int Width, int Height);
