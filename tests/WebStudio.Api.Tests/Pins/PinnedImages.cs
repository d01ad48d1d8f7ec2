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

    /// <summary>The same jobs on an AMD EPYC with AVX-512. ONNX Runtime's CPU kernels choose their code by the
    /// instructions the CPU has, and these round otherwise, so every image's pixels differ from the first machine's
    /// (the .NET side was ruled out: with the JIT's AVX-512 off, the hashes stay these). The same code makes both: at
    /// a9ac77f the CI machine made the set above, and an EPYC this one.</summary>
    public static readonly IReadOnlyDictionary<string, string> Avx512Hashes = new Dictionary<string, string>
    {
        ["txt2img"] = "7EAF4C28EF6B3581BDC2DEEE0AFF089435BE3063E11D99B7B0A49806FE41F093",
        ["img2img"] = "E7C7D512BD7EDC60BF758F9A477290507F5BA877A103DF3F86189BFC19BDBF1B",
        ["inpaint"] = "9773AA839807589B98E76E695C008F4FFC30A7763917F98C0E6B0C52580A37EB",
        ["outpaint"] = "6D082CDB84A87F8DAA5A77295344CBB1E69D7CDD7B6979FFED2E96B950001103",
        ["hires fix"] = "BE2B46D85EF399C1C16A2C72AAFD62200FA047BD44DEC7A6188A8F8869597DBB",
        ["upscale"] = "A11C07E6FF2D3D69EF0E03DBA7AA2451B2BC8F1DB536150C4A6DE461F5B36323",
        ["api generation"] = "171BA0B78577B1B8E6C4A96B29E829F34C95AA95F18B5D6E71F264B8CD15B487",
        ["api edit"] = "FBA5E0CF4C90B7A65AF3A952C1131E5EA74A60A5D4312A1B72A1148F25BE4AFD",
        ["api variation"] = "2EB034275796B32007C41E5E09A1F5E0BA9EA39280F742B5A9F0F46FE38274B6",
    };

    /// <summary>The pins a run is held to: the set whose txt2img image it made (its machine's kind), else the first.
    /// A change that alters any image still fails, on either kind of machine.</summary>
    public static Dictionary<string, string> PinsFor(IReadOnlyDictionary<string, string> actual) =>
        (actual.TryGetValue("txt2img", out var txt2img) && Avx512Hashes["txt2img"] == txt2img ? Avx512Hashes : Hashes).ToDictionary();

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
