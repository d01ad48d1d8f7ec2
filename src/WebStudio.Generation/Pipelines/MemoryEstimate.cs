using WebStudio.Generation.Models;

namespace WebStudio.Generation.Pipelines;

/// <summary>
/// The peak memory of one run, in bytes, from the model's shapes (<see cref="ModelShapes"/>) and the request's size,
/// batch and guidance, so that a job that cannot run is refused before it is queued. With f the VAE's scale factor,
/// h = H/f and w = W/f the latent size, B the batch, B' = 2B under classifier-free guidance (the UNet runs the
/// unconditional and conditional rows as one batch; 3B for an InstructPix2Pix model) and b the bytes per element:
/// <list type="bullet">
/// <item><see cref="Weights"/>: the model's graphs on disk. The job's model must be loaded while it runs, so it is
/// counted whether or not the model cache holds it now; other cached models are not (the cache drops them beyond
/// Generation:ModelMemoryBudgetMB).</item>
/// <item><see cref="Latents"/>: <see cref="LatentBuffers"/> float32 latent tensors per image (the sample, its scaled
/// and doubled copies, the prediction, the scheduler's history of up to four): 16 · B · 4 · h · w · 4.</item>
/// <item><see cref="UNetActivations"/>: the UNet's feature maps at latent resolution, where they are widest per
/// pixel-count: a ResNet block's working set (3) and the skip activations the up path keeps, layers+1 per level and
/// halving from level to level (≤ 2(layers+1) in all): (2(layers+1) + 3) · B' · C₀ · h · w · b.</item>
/// <item><see cref="AttentionMap"/>: the largest attention map, at the first level with attention (latent/2^L per
/// side, n = ⌈h/2^L⌉·⌈w/2^L⌉ tokens, with that level's heads): self-attention n² · heads · B' · b, or the text's
/// n · 77 · heads · B' · b for a UNet with cross-attention only. It grows with the square of the pixel count and is the allocation that fails
/// first: 2048×2048 × 8 on the built-in model (L = 1, 4 heads) is one 64 GiB map. An unfused graph holds several at
/// once (the scores, their scaled copy, the softmax) and ORT's arena grows in coarse extensions: measured on CPU with
/// the built-in model (VmHWM over one run, a fresh process each), the peak was 4.3–4.5 maps at 768×768 × 2 and × 4
/// and 1024×1024 × 2, so <see cref="AttentionPeak"/> counts <see cref="AttentionCopies"/>. A fused attention kernel
/// (CUDA) may build none; the estimate stays on the safe side.</item>
/// <item><see cref="VaeDecode"/>: the decoder's activations at full resolution for ONE image (the pipeline decodes a
/// batch one image at a time): <see cref="VaeWorkingTensors"/> · C_vae · H · W · b, with C_vae the widest maps at full
/// resolution (<see cref="ModelShapes.VaeChannels"/>: the upsampling into it runs at the level above's width) (a ResNet
/// block's working set, the half-resolution level and the arena's slack), its float32 output 3 · H · W · 4, and the
/// VAE's one-head mid-block self-attention (h · w)² · b where the VAE has one (SD's does), counted
/// <see cref="AttentionCopies"/> times as the UNet's is. Measured on CPU (VmHWM growth over one whole decode, a fresh
/// session each): the built-in model 4.4 · C_vae · H · W · b at 1024² (no attention); the SDXL-sized VAE, run in
/// float32, 1.36, 4.49 and 9.8 GB at 512², 768² and 1024², which the rule puts at 1.68, 4.72 and 10.7 (solved from 512²
/// and 1024², the growth is 3.7 · 256 channels per pixel and 5.4 attention maps). An img2img encode mirrors it.
/// Decoded and encoded in tiles (<see cref="ModelShapes.VaeTileSize"/>, <see cref="Models.VaeTiling"/>), the activations and attention are a
/// tile's, counted <see cref="VaeTileShapes"/> times (the edge tiles are smaller, and ORT's CPU arena keeps blocks for
/// each shape: 512 px tiles of a 1024² image grew by 2.7 GB where one 512² decode grew by 1.36), plus the tile's output
/// beside the whole image's.</item>
/// <item><see cref="Images"/>: the finished RGB images and the engine's copies, 2 · B · H · W · 3.</item>
/// </list>
/// The UNet's steps and the VAE's decode do not overlap, so the peak is Weights + Latents + Images +
/// max(UNetActivations + AttentionPeak, VaeDecode).
/// </summary>
public sealed record MemoryEstimate(long Weights, long Latents, long UNetActivations, long AttentionMap, long VaeDecode, long Images)
{
    /// <summary>Attention maps counted at the peak (measured 4.3–4.5 on CPU, see above).</summary>
    public const int AttentionCopies = 5;

    /// <summary>The VAE decoder's full-resolution tensors at its peak, of <see cref="ModelShapes.VaeChannels"/> each
    /// (measured 4.4 on CPU with the built-in model, 3.7 with the SDXL-sized VAE; see above).</summary>
    public const int VaeWorkingTensors = 5;

    /// <summary>A tiled VAE's working sets counted at the peak: its tiles come in up to two shapes along each side.</summary>
    public const int VaeTileShapes = 2;

    /// <summary>Float32 latent tensors per image alive during a step.</summary>
    public const int LatentBuffers = 16;

    // A ResNet block's input, hidden and output tensors.
    private const int WorkingTensors = 3;

    public long AttentionPeak => AttentionCopies * AttentionMap;

    public long Total => Weights + Latents + Images + Math.Max(UNetActivations + AttentionPeak, VaeDecode);

    /// <summary>Whether a run applies classifier-free guidance as a doubled batch (the pipeline's own rule).</summary>
    public static bool DoublesBatch(ModelShapes shapes, float guidance) => guidance > 1f && !shapes.GuidanceEmbedded;

    public static MemoryEstimate Of(ModelShapes shapes, int width, int height, int batch, float guidance)
    {
        long f = shapes.VaeScaleFactor, bytes = shapes.ElementBytes;
        long h = CeilDiv(height, f), w = CeilDiv(width, f), cells = h * w, pixels = (long)width * height;
        // An instruction edit's guidance runs three rows per image (counted whatever its scales, to be safe).
        long unetBatch = batch * (shapes.InstructPix2Pix ? InstructPix2PixGuidance.Chunks : DoublesBatch(shapes, guidance) ? 2L : 1L);

        var latents = (long)LatentBuffers * batch * shapes.LatentChannels * cells * sizeof(float);
        var activations = (2L * (shapes.LayersPerBlock + 1) + WorkingTensors) * unetBatch * shapes.UNetChannels * cells * bytes;

        long scale = 1L << Math.Min(shapes.FirstAttentionLevel, 30);
        var tokens = CeilDiv(h, scale) * CeilDiv(w, scale);
        var cross = tokens * ModelShapes.TextTokens * shapes.AttentionHeads * unetBatch * bytes;
        var attention = shapes.OnlyCrossAttention ? cross : Math.Max(cross, tokens * tokens * shapes.AttentionHeads * unetBatch * bytes);

        // Decoded in tiles (by the decoder's own rule), its working set is a tile's, once per tile shape, beside the
        // tile's output; the whole image's float32 pixels are still made.
        long vaeBytes = shapes.VaeElementBytes;
        var tiling = VaeTiling.OfSize(shapes.VaeTileSize, (int)f);
        var tiled = tiling?.Applies((int)h, (int)w) == true;
        long vaeWidth = tiled ? Math.Min(width, tiling!.TileSize) : width, vaeHeight = tiled ? Math.Min(height, tiling!.TileSize) : height;
        long vaePixels = vaeWidth * vaeHeight, vaeCells = CeilDiv(vaeWidth, f) * CeilDiv(vaeHeight, f);
        var working = VaeWorkingTensors * shapes.VaeChannels * vaePixels * vaeBytes
            + (shapes.VaeMidAttention ? AttentionCopies * vaeCells * vaeCells * vaeBytes : 0);
        var vae = (tiled ? VaeTileShapes * working + 3 * vaePixels * sizeof(float) : working) + 3 * pixels * sizeof(float);
        var images = 2L * batch * pixels * 3;
        return new MemoryEstimate(shapes.WeightBytes, latents, activations, attention, vae, images);
    }

    /// <summary>The largest batch up to <paramref name="batch"/> whose run fits in <paramref name="limitBytes"/> at this
    /// size, or 0 when not even one image fits.</summary>
    public static int LargestBatch(ModelShapes shapes, int width, int height, int batch, float guidance, long limitBytes)
    {
        for (var b = batch; b >= 1; b--)
        {
            if (Of(shapes, width, height, b, guidance).Total <= limitBytes)
            {
                return b;
            }
        }

        return 0;
    }

    /// <summary>The largest size no bigger than <paramref name="width"/>×<paramref name="height"/>, of about the same
    /// aspect ratio and in multiples of the model's <see cref="ModelShapes.SizeMultiple"/>, whose run of
    /// <paramref name="batch"/> images fits in <paramref name="limitBytes"/>; null when not even the smallest does.</summary>
    public static (int Width, int Height)? LargestSize(ModelShapes shapes, int width, int height, int batch, float guidance, long limitBytes)
    {
        var step = shapes.SizeMultiple;
        var longer = Math.Max(width, height);
        for (var side = longer / step * step; side >= GenerationRequest.MinSize; side -= step)
        {
            var w = width == longer ? side : Shorter(width, side, longer, step);
            var h = height == longer ? side : Shorter(height, side, longer, step);
            if (Of(shapes, w, h, batch, guidance).Total <= limitBytes)
            {
                return (w, h);
            }
        }

        return null;
    }

    // Rounded down to the step, but never below the smallest size that is a multiple of it.
    private static int Shorter(int shorter, int side, int longer, int step) =>
        Math.Max((GenerationRequest.MinSize + step - 1) / step * step, (int)((long)shorter * side / longer) / step * step);

    private static long CeilDiv(long value, long divisor) => (value + divisor - 1) / divisor;
}
