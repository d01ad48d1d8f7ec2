using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Models;

/// <summary>Norm-free residual block of the autoencoder: x + conv(silu(conv(silu(x)))).</summary>
internal sealed class PlainResBlock : nn.Module<Tensor, Tensor>
{
    public readonly Conv2d Conv1;
    public readonly Conv2d Conv2;

    public PlainResBlock(int channels) : base(nameof(PlainResBlock))
    {
        Conv1 = nn.Conv2d(channels, channels, 3, padding: 1);
        Conv2 = nn.Conv2d(channels, channels, 3, padding: 1);
        RegisterComponents();
        using (no_grad())
        {
            // Start each block near identity so the stack trains without normalisation layers.
            Conv2.weight!.mul_(0.1);
        }
    }

    public override Tensor forward(Tensor x) =>
        x + Conv2.forward(nn.functional.silu(Conv1.forward(nn.functional.silu(x))));
}

/// <summary>image [B,3,H,W] in [-1,1] → unscaled latent [B,4,H/8,W/8].</summary>
internal sealed class VaeEncoderNet : nn.Module<Tensor, Tensor>
{
    public readonly VaeConfig Config;
    public readonly Conv2d ConvIn;
    public readonly PlainResBlock Block1;
    public readonly Conv2d Down;
    public readonly PlainResBlock Block2;
    public readonly Conv2d ConvOut;

    public VaeEncoderNet(VaeConfig config) : base(nameof(VaeEncoderNet))
    {
        Config = config;
        ConvIn = nn.Conv2d(3 * config.Patch * config.Patch, config.Width1, 3, padding: 1);
        Block1 = new PlainResBlock(config.Width1);
        Down = nn.Conv2d(config.Width1, config.Width2, 3, stride: 2, padding: 1);
        Block2 = new PlainResBlock(config.Width2);
        ConvOut = nn.Conv2d(config.Width2, config.LatentChannels, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor image)
    {
        var h = ConvIn.forward(nn.functional.pixel_unshuffle(image, Config.Patch));
        h = Block2.forward(Down.forward(Block1.forward(h)));
        return ConvOut.forward(nn.functional.silu(h));
    }
}

/// <summary>unscaled latent [B,4,h,w] → image [B,3,8h,8w] (about [-1,1]; callers clamp).</summary>
internal sealed class VaeDecoderNet : nn.Module<Tensor, Tensor>
{
    public readonly VaeConfig Config;
    public readonly Conv2d ConvIn;
    public readonly PlainResBlock Block1;
    public readonly PlainResBlock Block2;
    public readonly Conv2d Up;
    public readonly PlainResBlock Block3;
    public readonly PlainResBlock Block4;
    public readonly Conv2d ConvOut;

    public VaeDecoderNet(VaeConfig config) : base(nameof(VaeDecoderNet))
    {
        Config = config;
        ConvIn = nn.Conv2d(config.LatentChannels, config.Width2, 3, padding: 1);
        Block1 = new PlainResBlock(config.Width2);
        Block2 = new PlainResBlock(config.Width2);
        Up = nn.Conv2d(config.Width2, config.Width1, 3, padding: 1);
        Block3 = new PlainResBlock(config.Width1);
        Block4 = new PlainResBlock(config.Width1);
        ConvOut = nn.Conv2d(config.Width1, 3 * config.Patch * config.Patch, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor latent)
    {
        var h = Block2.forward(Block1.forward(ConvIn.forward(latent)));
        h = Up.forward(NearestUp2(h));
        h = Block4.forward(Block3.forward(h));
        return nn.functional.pixel_shuffle(ConvOut.forward(nn.functional.silu(h)), Config.Patch);
    }

    public static Tensor NearestUp2(Tensor x) =>
        nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
}
