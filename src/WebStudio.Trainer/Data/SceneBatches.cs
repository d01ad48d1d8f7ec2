using WebStudio.ShapesWorld;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Data;

/// <summary>Streams ShapesWorld scenes as image tensors. Letters get double weight: glyphs are the hardest category.</summary>
internal sealed class SceneBatches(long seed)
{
    public static IReadOnlyDictionary<Category, double> TrainingMix { get; } =
        Enum.GetValues<Category>().ToDictionary(c => c, c => c == Category.Letters ? 2.0 : 1.0);

    private readonly SceneGenerator _generator = new(seed, TrainingMix);

    public long Position { get => _generator.Position; set => _generator.Position = value; }

    /// <summary>The next <paramref name="count"/> scenes: images [count,3,128,128] in [-1,1] and captions.</summary>
    public (Tensor Images, string[] Captions) Next(int count)
    {
        var captions = new string[count];
        var pixels = new float[count][];
        for (var i = 0; i < count; i++)
        {
            var sample = _generator.Next();
            using (sample.Image)
            {
                pixels[i] = ImageTensors.ToChwMinus1To1(sample.Image);
            }

            captions[i] = sample.Caption;
        }

        var size = pixels[0].Length;
        var flat = new float[count * size];
        for (var i = 0; i < count; i++)
        {
            pixels[i].CopyTo(flat, i * size);
        }

        var side = (long)Math.Sqrt(size / 3);
        return (tensor(flat, [count, 3, side, side]), captions);
    }
}
