using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using WebStudio.Generation.Pipelines;

namespace WebStudio.Generation.Imaging;

/// <summary>
/// Extends an image on any side for outpainting. The new area starts as the image's edge pixels stretched
/// outward, blurred, fading towards the image's mean colour with distance and with a little seeded noise: a start
/// whose colours match the borders gives the inpainting a far better seam than grey or black.
/// </summary>
public static class Outpainting
{
    public const int Multiple = 8;
    public const int MaxAmount = 1024;
    public const int MaxOverlap = 64;
    public const int MaxSide = GenerationRequest.MaxSize;

    // Past this distance the fill is the mean colour only; blur and noise are sized for SD's 8-pixel latents.
    private const float FadeDistance = 256f;
    private const float BlurSigma = 8f;
    private const int NoiseAmplitude = 6;

    /// <param name="overlap">Pixels of the original, along each extended side, that the mask also covers so the
    /// pipeline can blend the seam (0 keeps every original pixel out of the mask).</param>
    /// <param name="seed">Seed of the fill's noise, so one request always gets the same canvas.</param>
    public static OutpaintCanvas Extend(Image<Rgb24> image, int left, int top, int right, int bottom,
        int overlap = 0, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckAmount(left, nameof(left));
        CheckAmount(top, nameof(top));
        CheckAmount(right, nameof(right));
        CheckAmount(bottom, nameof(bottom));
        if (left + top + right + bottom == 0)
        {
            throw new ArgumentException("Outpainting needs at least one side to extend; all four amounts are 0.", nameof(left));
        }

        var width = image.Width + left + right;
        var height = image.Height + top + bottom;
        if (width > MaxSide || height > MaxSide)
        {
            throw new ArgumentException(
                $"The extended canvas would be {width}×{height} pixels; at most {MaxSide} per side is allowed.", nameof(image));
        }

        if (overlap < 0 || overlap > MaxOverlap || overlap * 2 > Math.Min(image.Width, image.Height))
        {
            throw new ArgumentOutOfRangeException(nameof(overlap), overlap,
                $"The overlap must be between 0 and {MaxOverlap} pixels and at most half the image's smaller side.");
        }

        var canvas = StretchedEdges(image, left, top, width, height);
        canvas.Mutate(c => c.GaussianBlur(BlurSigma));
        FadeAndRestore(canvas, image, left, top, seed);
        var mask = BuildMask(width, height, new Rectangle(left, top, image.Width, image.Height),
            overlap, left > 0, top > 0, right > 0, bottom > 0);
        return new OutpaintCanvas(canvas, mask, new Point(left, top));
    }

    private static void CheckAmount(int amount, string side)
    {
        if (amount < 0 || amount > MaxAmount || amount % Multiple != 0)
        {
            throw new ArgumentException(
                $"The {side} extension must be a multiple of {Multiple} between 0 and {MaxAmount} pixels (got {amount}).", side);
        }
    }

    // Every canvas pixel copies the nearest pixel of the original (clamped coordinates).
    private static Image<Rgb24> StretchedEdges(Image<Rgb24> image, int left, int top, int width, int height)
    {
        var canvas = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(canvas, (source, target) =>
        {
            for (var y = 0; y < target.Height; y++)
            {
                var from = source.GetRowSpan(Math.Clamp(y - top, 0, source.Height - 1));
                var to = target.GetRowSpan(y);
                for (var x = 0; x < to.Length; x++)
                {
                    to[x] = from[Math.Clamp(x - left, 0, from.Length - 1)];
                }
            }
        });
        return canvas;
    }

    private static void FadeAndRestore(Image<Rgb24> canvas, Image<Rgb24> image, int left, int top, long seed)
    {
        var mean = MeanColour(image);
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        canvas.ProcessPixelRows(image, (target, source) =>
        {
            for (var y = 0; y < target.Height; y++)
            {
                var to = target.GetRowSpan(y);
                var sy = y - top;
                for (var x = 0; x < to.Length; x++)
                {
                    var sx = x - left;
                    if (sy >= 0 && sy < source.Height && sx >= 0 && sx < source.Width)
                    {
                        to[x] = source.GetRowSpan(sy)[sx];
                        continue;
                    }

                    var dx = Math.Max(0, Math.Max(-sx, sx - (source.Width - 1)));
                    var dy = Math.Max(0, Math.Max(-sy, sy - (source.Height - 1)));
                    var t = Math.Min(1f, MathF.Sqrt(dx * dx + dy * dy) / FadeDistance);
                    var p = to[x];
                    to[x] = new Rgb24(
                        Mix(p.R, mean.X, t, random),
                        Mix(p.G, mean.Y, t, random),
                        Mix(p.B, mean.Z, t, random));
                }
            }
        });
    }

    private static byte Mix(byte edge, float mean, float t, Random random) =>
        (byte)Math.Clamp((int)MathF.Round(edge + (mean - edge) * t) + random.Next(-NoiseAmplitude, NoiseAmplitude + 1), 0, 255);

    private static System.Numerics.Vector3 MeanColour(Image<Rgb24> image)
    {
        double r = 0, g = 0, b = 0;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (var p in rows.GetRowSpan(y))
                {
                    r += p.R;
                    g += p.G;
                    b += p.B;
                }
            }
        });
        var count = (double)image.Width * image.Height;
        return new System.Numerics.Vector3((float)(r / count), (float)(g / count), (float)(b / count));
    }

    private static Image<L8> BuildMask(int width, int height, Rectangle original, int overlap,
        bool left, bool top, bool right, bool bottom)
    {
        // The kept region: the original, shrunk by the overlap on each side that was extended.
        var kept = Rectangle.FromLTRB(
            original.Left + (left ? overlap : 0),
            original.Top + (top ? overlap : 0),
            original.Right - (right ? overlap : 0),
            original.Bottom - (bottom ? overlap : 0));
        var mask = new Image<L8>(width, height, new L8(255));
        mask.ProcessPixelRows(rows =>
        {
            for (var y = kept.Top; y < kept.Bottom; y++)
            {
                rows.GetRowSpan(y)[kept.Left..kept.Right].Fill(new L8(0));
            }
        });
        return mask;
    }
}
