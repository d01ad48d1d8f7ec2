using SixLabors.ImageSharp.PixelFormats;
using WebStudio.ShapesWorld;

namespace WebStudio.ShapesWorld.Tests;

public class GeneratorTests
{
    internal static byte[] Bytes(SixLabors.ImageSharp.Image<Rgb24> image)
    {
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray();
    }

    [Fact]
    public void Same_seed_and_index_give_identical_bytes_captions_and_specs()
    {
        for (var index = 0; index < 40; index++)
        {
            using var a = SceneGenerator.Generate(99, index);
            using var b = new SceneGenerator(99).Generate(index);
            Assert.Equal(a.Caption, b.Caption);
            Assert.Equal(a.Spec, b.Spec);
            Assert.Equal(Bytes(a.Image), Bytes(b.Image));
        }
    }

    [Fact]
    public void Next_walks_the_indices_of_the_stream()
    {
        var generator = new SceneGenerator(5);
        for (var index = 0; index < 10; index++)
        {
            using var next = generator.Next();
            using var direct = generator.Generate(index);
            Assert.Equal(index, next.Index);
            Assert.Equal(direct.Caption, next.Caption);
            Assert.Equal(Bytes(direct.Image), Bytes(next.Image));
        }
    }

    [Fact]
    public void Plan_matches_the_rendered_sample()
    {
        var generator = new SceneGenerator(31);
        for (var index = 0; index < 20; index++)
        {
            using var sample = generator.Generate(index);
            var plan = generator.Plan(index);
            Assert.Equal(sample.Caption, plan.Caption);
            Assert.Equal(sample.Spec, plan.Spec);
            Assert.Equal(sample.Category, plan.Category);
        }
    }

    [Fact]
    public void Different_seeds_give_different_streams()
    {
        var a = Enumerable.Range(0, 20).Select(i => SceneGenerator.Generate(1, i).Caption).ToList();
        var b = Enumerable.Range(0, 20).Select(i => SceneGenerator.Generate(2, i).Caption).ToList();
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Stream_is_pinned_across_machines()
    {
        // Golden values: a change here means old (seed, index) pairs name different data.
        using var sample = SceneGenerator.Generate(42, 0, Category.SingleObject);
        Assert.Equal("an orange circle", sample.Caption);
        Assert.Equal(GoldenHash, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Bytes(sample.Image)))[..16]);
    }

    private const string GoldenHash = "A4EF6C2196D416EC";

    [Theory]
    [InlineData(Category.SingleObject)]
    [InlineData(Category.TwoObjects)]
    [InlineData(Category.Counting)]
    [InlineData(Category.Colours)]
    [InlineData(Category.Position)]
    [InlineData(Category.ColourAttribution)]
    [InlineData(Category.Letters)]
    public void Category_is_honoured_and_objects_stay_inside_without_overlap(Category category)
    {
        for (var index = 0; index < 30; index++)
        {
            using var sample = SceneGenerator.Generate(7, index, category);
            Assert.Equal(category, sample.Category);
            Assert.Equal(category, sample.Spec.Category);
            Assert.Equal(128, sample.Image.Width);
            Assert.Equal(128, sample.Image.Height);
            var layout = sample.Spec.Layout!;
            Assert.Equal(sample.Spec.Groups.Sum(g => g.Count), layout.Objects.Count);
            foreach (var obj in layout.Objects)
            {
                Assert.InRange(obj.Box.X, 0, 128);
                Assert.InRange(obj.Box.Right, 0, 128);
                Assert.InRange(obj.Box.Y, 0, 128);
                Assert.InRange(obj.Box.Bottom, 0, 128);
                Assert.True(obj.Colour.DistanceSquared(layout.Background) >= Palette.MinBackgroundSeparation * Palette.MinBackgroundSeparation,
                    $"{obj.Colour} on {layout.Background}");
                Assert.All(layout.Objects.Where(o => o != obj), other => Assert.False(obj.Box.Overlaps(other.Box, 0)));
            }
        }
    }

    [Fact]
    public void Category_mix_is_respected()
    {
        var generator = new SceneGenerator(3, new Dictionary<Category, double> { [Category.Letters] = 1, [Category.Counting] = 3 });
        var categories = Enumerable.Range(0, 400).Select(i => generator.Plan(i).Category).ToList();
        Assert.All(categories, c => Assert.Contains(c, new[] { Category.Letters, Category.Counting }));
        Assert.InRange(categories.Count(c => c == Category.Counting), 250, 350);
    }

    [Fact]
    public void Empty_mix_is_rejected_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => new SceneGenerator(1, new Dictionary<Category, double> { [Category.Letters] = 0 }));
        Assert.Equal("mix", error.ParamName);
    }

    [Fact]
    public void Rendered_colours_match_the_palette()
    {
        using var sample = SceneGenerator.Generate(11, 3, Category.Colours);
        var obj = sample.Spec.Layout!.Objects[0];
        var centre = sample.Image[(int)obj.Box.CentreX, (int)(obj.Box.Y + obj.Box.Height * 0.7)];
        Assert.Equal(new Rgb24(obj.Colour.R, obj.Colour.G, obj.Colour.B), centre);
        var corner = sample.Image[0, 0];
        var bg = sample.Spec.Layout.Background;
        Assert.Equal(new Rgb24(bg.R, bg.G, bg.B), corner);
    }
}
