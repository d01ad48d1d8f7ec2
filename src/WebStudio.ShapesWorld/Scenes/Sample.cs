using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.ShapesWorld;

/// <summary>One captioned training/eval picture with its ground-truth spec. Disposing frees the image.</summary>
public sealed record Sample(Image<Rgb24> Image, string Caption, SceneSpec Spec, Category Category, long Seed, long Index) : IDisposable
{
    public void Dispose() => Image.Dispose();
}

/// <summary>A sample's caption and spec before rendering.</summary>
public sealed record ScenePlan(string Caption, SceneSpec Spec, Category Category, long Seed, long Index);
