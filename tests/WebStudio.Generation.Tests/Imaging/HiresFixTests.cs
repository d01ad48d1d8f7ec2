using SixLabors.ImageSharp;
using WebStudio.Generation.Imaging;
using WebStudio.Generation.Pipelines;

namespace WebStudio.Generation.Tests.Imaging;

public sealed class HiresFixTests
{
    private static readonly GenerationRequest FirstPass = new()
    {
        Prompt = "a red circle",
        NegativePrompt = "blurry",
        Seed = 42,
        Steps = 12,
        Width = 64,
        Height = 96,
        BatchSize = 3,
        Scheduler = "DDIM",
    };

    [Fact]
    public void Plans_an_img2img_pass_on_the_upscaled_image()
    {
        using var image = TestImages.Photo(64, 96, seed: 16);

        var second = HiresFix.Plan(FirstPass, image, factor: 2);
        using var init = second.InitImage;

        Assert.Equal((128, 192), (second.Width, second.Height));
        Assert.NotNull(init);
        Assert.Equal(new Size(128, 192), init.Size());
        Assert.Equal(HiresFix.DefaultStrength, second.Strength);
        Assert.Equal(1, second.BatchSize);
        Assert.Null(second.Mask);
        Assert.Equal((FirstPass.Prompt, FirstPass.NegativePrompt, FirstPass.Seed, FirstPass.Steps, FirstPass.Scheduler),
            (second.Prompt, second.NegativePrompt, second.Seed, second.Steps, second.Scheduler));
    }

    [Fact]
    public void Refuses_results_over_the_generation_limit_and_mismatched_images()
    {
        using var image = TestImages.Photo(64, 96, seed: 17);
        var big = FirstPass with { Width = 1024, Height = 1024 };
        using var bigImage = TestImages.Photo(1024, 1024, seed: 18);
        Assert.Contains("2048", Assert.Throws<ArgumentException>(() => HiresFix.Plan(big, bigImage, 4)).Message);
        Assert.Contains("64×96", Assert.Throws<ArgumentException>(() => HiresFix.Plan(FirstPass with { Width = 128 }, image)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => HiresFix.Plan(FirstPass, image, strength: 0f));
    }
}
