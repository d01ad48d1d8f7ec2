using System.Security.Cryptography;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.Api.Tests.Pins;

/// <summary>
/// The pinned images of every job kind on the built-in model, shared by the tests that must make them: jobs sent
/// today (<see cref="PinnedJobImagesTests"/>) and jobs queued before the job spec and run after the upgrade
/// (<see cref="UpgradedJobImagesTests"/>).
/// </summary>
internal static class PinnedImages
{
    public const string Model = "webstudio-shapes";

    /// <summary>Pinned at aff3b71, before the move, on this repository's CPU test machine. Re-pinned when each image of
    /// a batch took its step noise from a generator of its own, so that it is its seed's picture alone as well (the
    /// txt2img job and the API generation are batches of 2 with Euler a; every edit starts from the txt2img image).</summary>
    public static readonly IReadOnlyDictionary<string, string> Hashes = new Dictionary<string, string>
    {
        ["txt2img"] = "FDBBEF7F1FDF2F13B589D7569B001FA4ECEBC3568188E396A3F7D4C1DE952AC1",
        ["img2img"] = "EDA05CA8E644B0F7A55312D30F3910E42182366585B6B6D2858C072C0A549048",
        ["inpaint"] = "04802255FC512854172947C873F496F228BEA8B2F19EFB42DBD568130F24509B",
        ["outpaint"] = "CC63F69B3BB0B7D7FD107462C01AE1747109FCD2B38269CB21BFDC83D5969AFF",
        ["hires fix"] = "BF969486F21062501AAAB848150EF484633D5B9B1407988A88990F62939E4B82",
        ["upscale"] = "D12297D4A4DBC232A2F91418196BC842841F5991FFE580AF0DB4EF8D973DB8E8",
        ["api generation"] = "FF4D4F68F4BA71E81FB927C425188E3F1FB7E86C8D7E3E8292DBDF5EF272B17D",
        ["api edit"] = "EB09892AC245F549765E092CC54D61C40283D2D75F3288844FAA7110EFC9C358",
        ["api variation"] = "BD242A0143273D082278C6AFB0B7434B0B16DF10793EFBC0BD10A8C9D003B52B",
    };

    /// <summary>The pixels, not the file: a PNG's text chunks and compression may change without the image changing.</summary>
    public static string PixelHash(IEnumerable<byte[]> pngs)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var png in pngs)
        {
            using var image = Image.Load<Rgba32>(png);
            var pixels = new byte[image.Width * image.Height * 4];
            image.CopyPixelDataTo(pixels);
            sha.AppendData(BitConverter.GetBytes(image.Width));
            sha.AppendData(BitConverter.GetBytes(image.Height));
            sha.AppendData(pixels);
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>The inpaint job's painted mask (white = repaint) over the 128×128 source.</summary>
    public static Image<L8> InpaintMask()
    {
        var mask = new Image<L8>(128, 128);
        mask.ProcessPixelRows(rows =>
        {
            for (var y = 40; y < 96; y++)
            {
                rows.GetRowSpan(y)[24..88].Fill(new L8(255));
            }
        });
        return mask;
    }

    /// <summary>An OpenAI edit mask: the transparent pixels (here the left half) are repainted.</summary>
    public static byte[] TransparentLeftHalf(int width, int height)
    {
        using var mask = new Image<Rgba32>(width, height, new Rgba32(255, 255, 255, 255));
        mask.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < height; y++)
            {
                rows.GetRowSpan(y)[..(width / 2)].Fill(new Rgba32(0, 0, 0, 0));
            }
        });
        return Png(mask);
    }

    public static byte[] Png(Image image)
    {
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
