using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Pipelines;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>A1111's "Inpaint area: Only masked": which region is cut out, and that the result is set back in place.</summary>
[Collection(TinyModelCollection.Name)]
public class OnlyMaskedInpaintingTests(TinyModelFolders models)
{
    private static Image<L8> Mask(int width, int height, Rectangle box)
    {
        var mask = new Image<L8>(width, height, new L8(0));
        for (var y = box.Top; y < box.Bottom; y++)
        {
            for (var x = box.Left; x < box.Right; x++)
            {
                mask[x, y] = new L8(255);
            }
        }

        return mask;
    }

    public static TheoryData<int, int, Rectangle, int, Rectangle> Regions() => new()
    {
        // The mask's box grown by the padding on every side.
        { 64, 64, new Rectangle(20, 16, 24, 24), 4, new Rectangle(16, 12, 32, 32) },
        // Against the image's edge the padding stops there.
        { 64, 64, new Rectangle(0, 0, 10, 10), 8, new Rectangle(0, 0, 18, 18) },
        // A tall box in a square image is widened about its centre to a square.
        { 64, 64, new Rectangle(30, 10, 4, 20), 2, new Rectangle(20, 8, 24, 24) },
        // A 2:1 image: the region is 2:1 too, so scaling it to the image's size does not distort it.
        { 128, 64, new Rectangle(60, 30, 10, 10), 2, new Rectangle(51, 28, 28, 14) },
        // Widening near the edge shifts the region inside the image instead of cutting it.
        { 128, 64, new Rectangle(120, 30, 8, 10), 0, new Rectangle(108, 30, 20, 10) },
    };

    [Theory]
    [MemberData(nameof(Regions))]
    public void The_region_is_the_masks_box_with_padding_at_the_images_aspect_ratio(int width, int height, Rectangle box, int padding, Rectangle expected)
    {
        using var mask = Mask(width, height, box);
        Assert.Equal(expected, MaskedAreaInpainting.Region(mask, padding, width, height));
    }

    [Fact]
    public void An_empty_mask_or_one_whose_region_is_the_whole_image_has_no_region()
    {
        using var empty = new Image<L8>(64, 64, new L8(0));
        Assert.Null(MaskedAreaInpainting.Region(empty, 8, 64, 64));
        using var wide = Mask(64, 64, new Rectangle(4, 4, 56, 56));
        Assert.Null(MaskedAreaInpainting.Region(wide, 8, 64, 64));
    }

    [Fact]
    [Trait("Capability", "StudioUx")]
    public void The_default_padding_is_the_measured_28_pixels_at_128_in_proportion_and_A1111s_32_for_larger_models()
    {
        Assert.Equal(28, GenerationRequest.DefaultOnlyMaskedPadding(128, 128));
        Assert.Equal(32, GenerationRequest.DefaultOnlyMaskedPadding(512, 512)); // A1111's figure, not 112
        Assert.Equal(32, GenerationRequest.DefaultOnlyMaskedPadding(768, 512));
        Assert.Equal(32, GenerationRequest.DefaultOnlyMaskedPadding(1024, 1024));
        Assert.Equal(1, GenerationRequest.DefaultOnlyMaskedPadding(4, 4));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Only_masked_repaints_inside_the_mask_keeps_every_other_pixel_and_differs_from_the_whole_picture(bool nineChannelUnet)
    {
        var pipeline = new StableDiffusionPipeline(models.Load(nineChannelUnet ? TinyModelVariant.Inpaint : TinyModelVariant.DiffusersScript));
        using var source = ImageEditingTests.Source();
        using var mask = Mask(64, 64, new Rectangle(8, 40, 16, 16));
        var request = new GenerationRequest
        {
            Prompt = "a blue square", Steps = 6, Width = 64, Height = 64, Scheduler = "DDIM",
            InitImage = source, Mask = mask, Strength = 1f, OnlyMaskedPadding = 4,
        };
        var latentSizes = new List<(int, int)>();
        using var whole = await pipeline.RunAsync(request);
        using var onlyMasked = await pipeline.RunAsync(request with { InpaintOnlyMasked = true }, new LatentSizeRecorder(latentSizes));

        var image = Assert.Single(onlyMasked.Images).Image;
        Assert.Equal((64, 64), (image.Width, image.Height));
        var changedInside = ImageEditingTests.ChangedInsideKeepingOutside(source, image, mask);
        Assert.True(changedInside > 100, $"only {changedInside} of 256 masked pixels changed");
        Assert.NotEqual(PipelineVariantTests.Hash(whole.Images[0].Image), PipelineVariantTests.Hash(image));
        // The steps ran on the cut-out region scaled to the request's size: full-size latents, every step.
        Assert.Equal(Enumerable.Repeat((8, 8), 6), latentSizes);
    }

    [Fact]
    public async Task A_mask_over_the_whole_image_gives_the_whole_picture_result()
    {
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        using var source = ImageEditingTests.Source();
        using var mask = Mask(64, 64, new Rectangle(0, 0, 64, 64));
        var request = new GenerationRequest
        {
            Prompt = "a blue square", Steps = 4, Width = 64, Height = 64, Scheduler = "DDIM", InitImage = source, Mask = mask, Strength = 1f,
        };
        using var whole = await pipeline.RunAsync(request);
        using var onlyMasked = await pipeline.RunAsync(request with { InpaintOnlyMasked = true });
        Assert.Equal(PipelineVariantTests.Hash(whole.Images[0].Image), PipelineVariantTests.Hash(onlyMasked.Images[0].Image));
    }

    [Fact]
    public async Task Only_masked_blends_once_through_the_full_size_feathered_mask()
    {
        // As A1111 does, the cut-out is generated, scaled back and blended into the original once, at full size. Then
        // the generated pixels behind the blend are the same whatever the feather: g = o + (r - o) / w.
        var pipeline = new StableDiffusionPipeline(models.Load(TinyModelVariant.DiffusersScript));
        using var source = ImageEditingTests.Source();
        using var mask = Mask(64, 64, new Rectangle(16, 16, 24, 24));
        var request = new GenerationRequest
        {
            Prompt = "a blue square", Steps = 4, Width = 64, Height = 64, Scheduler = "DDIM",
            InitImage = source, Mask = mask, Strength = 1f, InpaintOnlyMasked = true, OnlyMaskedPadding = 4,
        };
        using var narrow = await pipeline.RunAsync(request with { MaskFeather = 2 });
        using var wide = await pipeline.RunAsync(request with { MaskFeather = 6 });
        var narrowWeights = ImageConditioning.FeatheredWeights(mask, 2);
        var wideWeights = ImageConditioning.FeatheredWeights(mask, 6);

        var compared = 0;
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                var (w1, w2) = (narrowWeights[y * 64 + x], wideWeights[y * 64 + x]);
                if (w1 < 0.25f || w2 < 0.25f || (w1 == 1f && w2 == 1f))
                {
                    continue;
                }

                compared++;
                var (o, r1, r2) = (source[x, y], narrow.Images[0].Image[x, y], wide.Images[0].Image[x, y]);
                foreach (var (keep, a, b) in new[] { (o.R, r1.R, r2.R), (o.G, r1.G, r2.G), (o.B, r1.B, r2.B) })
                {
                    var behindNarrow = keep + (a - keep) / w1;
                    var behindWide = keep + (b - keep) / w2;
                    // Each result byte is rounded once: at most half a level each, divided by its weight.
                    Assert.True(Math.Abs(behindNarrow - behindWide) <= 0.5f / w1 + 0.5f / w2 + 0.01f,
                        $"pixel ({x},{y}): weights {w1:F2}/{w2:F2} give {behindNarrow:F1} and {behindWide:F1} behind the blend");
                }
            }
        }

        Assert.True(compared > 50, $"only {compared} pixels in the feathered band");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(257)]
    public void A_padding_out_of_range_is_refused(int padding)
    {
        var problems = GenerationRequestValidator.Validate(new GenerationRequest { Prompt = "x", Width = 64, Height = 64, Scheduler = "Euler", OnlyMaskedPadding = padding });
        Assert.Equal("onlyMaskedPadding", Assert.Single(problems).Field);
    }

    private sealed class LatentSizeRecorder(List<(int, int)> sizes) : IStepCallback
    {
        public bool OnStep(StepProgress progress)
        {
            sizes.Add((progress.Latents.Height, progress.Latents.Width));
            return true;
        }
    }
}
