using static TorchSharp.torch;

namespace WebStudio.Trainer.Training;

/// <summary>Exponential moving average of a module's parameters into a twin module (same class, same config).</summary>
internal static class Ema
{
    public static void CopyInto(nn.Module source, nn.Module target)
    {
        using var _ = no_grad();
        foreach (var (s, t) in source.parameters().Zip(target.parameters()))
        {
            t.copy_(s);
        }
    }

    public static void Update(nn.Module source, nn.Module target, double decay)
    {
        using var _ = no_grad();
        foreach (var (s, t) in source.parameters().Zip(target.parameters()))
        {
            t.mul_(decay).add_(s, alpha: 1 - decay);
        }
    }
}
