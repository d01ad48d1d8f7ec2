using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Models;

internal static class Norms
{
    /// <summary>GroupNorm with scale 1 and shift 0. TorchSharp 0.107's nn.GroupNorm leaves its affine
    /// parameters uninitialised (zeros or garbage, so outputs are 0 or NaN), so set them here.</summary>
    public static GroupNorm GroupNorm(int groups, int channels)
    {
        var norm = nn.GroupNorm(groups, channels);
        using (no_grad())
        {
            norm.weight!.fill_(1);
            norm.bias!.zero_();
        }

        return norm;
    }
}
