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

    /// <summary>Pinned at aff3b71, before the move, on this repository's CPU test machine.</summary>
    public static readonly IReadOnlyDictionary<string, string> Hashes = new Dictionary<string, string>
    {
        ["txt2img"] = "F01654B147BBA3281B2C3A5E7FB8397788C3542F74A2E79D25DB616F1AFCAA89",
        ["img2img"] = "8BE9ED6874D6DF2FC4DBA9E1F9280E264DBD6B53793058DDE55B299BAA5976C5",
        // Re-pinned for issue 20: the "Only masked" default padding went from 8 to the measured 28 pixels at 128².
        ["inpaint"] = "1E5E9FDDC6D68FAE7C2565FEEFC0B002AF4B8499E601710347E95BA24E15350A",
        ["outpaint"] = "8E25C26B2BDF4A6902000B6254D22D7BD041964AE583D83DF738C999B678CC70",
        ["hires fix"] = "FDEDE5359B3B872105D3C7A84F6955061E657DE86F5FCC71607B88BE84A3D1E7",
        ["upscale"] = "9232254FD8449D7655032609CAA08B2434E6B7ABAD994008CE68D501CCC50705",
        ["api generation"] = "887B6FE1D4C81E3A673CD5EF1A530481E6B1EBEADF93AD98424ED649CF4BFB05",
        ["api edit"] = "A486505BA03BD160876D928500CD02962CB45D64D6EFAE85DA2DC9876947C45A",
        ["api variation"] = "5018CDEE58710D8ED89C4A8C19E4A6FFBB5ACAE6F4F040438F7CF35BE2A85FB3",
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
