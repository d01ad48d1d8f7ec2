using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Imaging;
using WebStudio.Generation.Tests.Onnx;

namespace WebStudio.Generation.Tests.Imaging;

public sealed class ImageUploadTests
{
    [Theory]
    [InlineData("PNG")]
    [InlineData("JPEG")]
    [InlineData("WEBP")]
    public void Accepts_each_format_by_content_whatever_the_file_is_called(string format)
    {
        using var source = TestImages.Photo(48, 32, seed: 1);
        var bytes = TestImages.Encode(source, format switch
        {
            "PNG" => new PngEncoder(),
            "JPEG" => new JpegEncoder { Quality = 95 },
            _ => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
        });

        // Stored under a misleading name: only the content decides.
        using var folder = new TempFolder();
        var path = folder.Combine("picture.gif");
        File.WriteAllBytes(path, bytes);
        using var stream = File.OpenRead(path);
        using var upload = ImageUpload.Read(stream);

        Assert.Equal(format, upload.Format);
        Assert.Equal(48, upload.Width);
        Assert.Equal(32, upload.Height);
        Assert.Null(upload.Alpha);
        var tolerance = format == "JPEG" ? 40 : 0;
        Assert.InRange(TestImages.MaxDifference(source, upload.Image), 0, tolerance);
    }

    [Fact]
    public void Refuses_GIF_and_BMP_as_unsupported_format()
    {
        using var image = TestImages.Photo(16, 16, seed: 2);
        foreach (var (name, bytes) in new[] { ("GIF", TestImages.Encode(image, new GifEncoder())), ("BMP", TestImages.Encode(image, new BmpEncoder())) })
        {
            var error = Assert.Throws<ImageUploadException>(() => ImageUpload.Read(bytes));
            Assert.Equal(ImageUploadException.UnsupportedFormat, error.Code);
            Assert.Contains(name, error.Message);
            Assert.Contains("PNG, JPEG or WebP", error.Message);
        }
    }

    [Fact]
    public void Refuses_text_as_unsupported_format()
    {
        var error = Assert.Throws<ImageUploadException>(() => ImageUpload.Read("<html><body>not an image</body></html>"u8.ToArray()));
        Assert.Equal(ImageUploadException.UnsupportedFormat, error.Code);
    }

    [Fact]
    public void Refuses_empty_files_and_streams()
    {
        Assert.Equal(ImageUploadException.Empty, Assert.Throws<ImageUploadException>(() => ImageUpload.Read(Array.Empty<byte>())).Code);
        Assert.Equal(ImageUploadException.Empty, Assert.Throws<ImageUploadException>(() => ImageUpload.Read(new MemoryStream())).Code);
    }

    [Fact]
    public void Refuses_files_over_the_byte_limit_before_decoding()
    {
        // A real PNG padded past 20 MB: refused on its length alone.
        using var image = TestImages.Photo(16, 16, seed: 3);
        var png = TestImages.Encode(image, new PngEncoder());
        var padded = new byte[ImageUploadLimits.Default.MaxBytes + 1];
        png.CopyTo(padded, 0);
        var error = Assert.Throws<ImageUploadException>(() => ImageUpload.Read(padded));
        Assert.Equal(ImageUploadException.TooLarge, error.Code);
        Assert.Contains("20 MB", error.Message);
    }

    [Fact]
    public void Stops_reading_an_endless_stream_just_past_the_limit()
    {
        var limits = new ImageUploadLimits { MaxBytes = 1024 * 1024 };
        var stream = new EndlessStream();
        var error = Assert.Throws<ImageUploadException>(() => ImageUpload.Read(stream, limits));
        Assert.Equal(ImageUploadException.TooLarge, error.Code);
        Assert.InRange(stream.BytesRead, limits.MaxBytes + 1, limits.MaxBytes + 1);
    }

    [Fact]
    public void Refuses_a_decompression_bomb_from_its_header_without_decoding()
    {
        var bomb = PngFiles.Bomb(50_000, 50_000);
        Assert.InRange(bomb.Length, 1, 4096);

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<ImageUploadException>(() => ImageUpload.Read(bomb));
        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal(ImageUploadException.TooManyPixels, error.Code);
        Assert.Contains("50000×50000", error.Message);
        Assert.Contains("4096×4096", error.Message);
        // Decoding would need 7.5 GB; reading the header needs next to nothing.
        Assert.InRange(clock.ElapsedMilliseconds, 0, 2000);
        Assert.InRange(allocated, 0, 16L * 1024 * 1024);
    }

    [Fact]
    public void Refuses_an_image_just_over_the_side_limit()
    {
        var error = Assert.Throws<ImageUploadException>(() => ImageUpload.Read(PngFiles.Bomb(4097, 64)));
        Assert.Equal(ImageUploadException.TooManyPixels, error.Code);
    }

    [Theory]
    [InlineData("PNG")]
    [InlineData("JPEG")]
    [InlineData("WEBP")]
    public void Refuses_truncated_files_as_corrupt(string format)
    {
        using var image = TestImages.Photo(64, 64, seed: 4);
        var bytes = TestImages.Encode(image, format switch
        {
            "PNG" => new PngEncoder(),
            "JPEG" => new JpegEncoder(),
            _ => new WebpEncoder(),
        });
        var truncated = bytes[..(bytes.Length * 2 / 3)];

        var error = Assert.Throws<ImageUploadException>(() => ImageUpload.Read(truncated));
        Assert.Equal(ImageUploadException.Corrupt, error.Code);
        Assert.Contains(format, error.Message);
    }

    [Fact]
    public void Accepts_bytes_after_the_PNG_end()
    {
        using var image = TestImages.Noise(8, 8, seed: 19);
        var bytes = TestImages.Encode(image, new PngEncoder()).Concat("trailing"u8.ToArray()).ToArray();
        using var rgb = ImageUpload.ReadRgb(new MemoryStream(bytes));
        Assert.Equal(0, TestImages.MaxDifference(image, rgb));
    }

    [Fact]
    public void Refuses_a_PNG_with_damaged_pixel_data_as_corrupt()
    {
        var bytes = PngFiles.Bomb(64, 64);
        // Keep the signature, IHDR and IEND; overwrite the start of IDAT's zlib stream.
        bytes[41] ^= 0xFF;
        bytes[42] ^= 0xFF;
        var error = Assert.Throws<ImageUploadException>(() => ImageUpload.Read(bytes));
        Assert.Equal(ImageUploadException.Corrupt, error.Code);
    }

    [Fact]
    public void Applies_EXIF_orientation()
    {
        // Stored 40×20, left half red and right half blue; orientation 6 means "rotate 90° clockwise to show",
        // which puts the stored left half on top.
        var bytes = OrientedJpeg(40, 20, orientation: 6);

        using var upload = ImageUpload.Read(bytes);

        Assert.Equal(20, upload.Width);
        Assert.Equal(40, upload.Height);
        Assert.True(upload.Image[10, 8].R > 200 && upload.Image[10, 8].B < 60, $"top should be red, is {upload.Image[10, 8]}");
        Assert.True(upload.Image[10, 32].B > 200 && upload.Image[10, 32].R < 60, $"bottom should be blue, is {upload.Image[10, 32]}");
    }

    [Fact]
    public void Applies_the_pixel_limits_to_the_upright_size()
    {
        var bytes = OrientedJpeg(40, 20, orientation: 6);

        // Stored 40 wide, shown 20 wide: fits a 32-wide limit once turned upright...
        using var upload = ImageUpload.Read(bytes, new ImageUploadLimits { MaxWidth = 32, MaxHeight = 64 });
        Assert.Equal(new Size(20, 40), upload.Image.Size());

        // ...and is refused by a 32-high limit although the stored image is only 20 high.
        var error = Assert.Throws<ImageUploadException>(() => ImageUpload.Read(bytes, new ImageUploadLimits { MaxWidth = 64, MaxHeight = 32 }));
        Assert.Equal(ImageUploadException.TooManyPixels, error.Code);
        Assert.Contains("20×40", error.Message);
    }

    [Fact]
    public void Flattens_transparency_onto_white_and_keeps_the_alpha()
    {
        using var rgba = new Image<Rgba32>(8, 4, new Rgba32(10, 20, 30, 255));
        rgba[1, 1] = new Rgba32(10, 20, 30, 0);
        rgba[2, 1] = new Rgba32(0, 0, 0, 128);
        var bytes = TestImages.Encode(rgba, new PngEncoder());

        using var upload = ImageUpload.Read(bytes);

        Assert.NotNull(upload.Alpha);
        Assert.Equal(new Rgb24(10, 20, 30), upload.Image[0, 0]);
        Assert.Equal(new Rgb24(255, 255, 255), upload.Image[1, 1]);
        Assert.Equal(new Rgb24(127, 127, 127), upload.Image[2, 1]);
        Assert.Equal(255, upload.Alpha![0, 0].PackedValue);
        Assert.Equal(0, upload.Alpha[1, 1].PackedValue);
        Assert.Equal(128, upload.Alpha[2, 1].PackedValue);
    }

    private static byte[] OrientedJpeg(int width, int height, ushort orientation)
    {
        using var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = x < width / 2 ? new Rgb24(255, 0, 0) : new Rgb24(0, 0, 255);
                }
            }
        });
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
        return TestImages.Encode(image, new JpegEncoder { Quality = 95 });
    }

    /// <summary>A non-seekable upload that never ends, counting what was read from it.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)0x89, offset, count);
            BytesRead += count;
            return count;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
