using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WebStudio.ShapesWorld;

/// <summary>One captioned training/eval picture with its ground-truth spec.</summary>
public sealed record Sample(Image<Rgb24> Image, string Caption, SceneSpec Spec, Category Category, long Seed, long Index);
