using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Models;

/// <summary>Epsilon-predicting UNet: sample [B,4(+4 image latents for editing),h,w], timestep [B] (0…999), context [B,77,D] → [B,4,h,w].
/// Level i runs at resolution h/2^i with Channels[i]; each level has a ResBlock + transformer on the way
/// down and on the way up (fed the down path's output), and the lowest level has the middle block.</summary>
internal sealed class UNetNet : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    public readonly UNetConfig Config;
    public readonly Linear Time1;
    public readonly Linear Time2;
    public readonly Conv2d ConvIn;
    public readonly ModuleList<ResBlock> DownRes;
    /// <summary>Transformers of levels FirstAttentionLevel… (index = level - FirstAttentionLevel).</summary>
    public readonly ModuleList<SpatialTransformer> DownAttn;
    public readonly ModuleList<Conv2d> Downsamplers;
    public readonly ResBlock MidRes1;
    public readonly SpatialTransformer MidAttn;
    public readonly ResBlock MidRes2;
    public readonly ModuleList<Conv2d> Upsamplers;
    public readonly ModuleList<ResBlock> UpRes;
    public readonly ModuleList<SpatialTransformer> UpAttn;
    public readonly GroupNorm NormOut;
    public readonly Conv2d ConvOut;

    public UNetNet(UNetConfig config) : base(nameof(UNetNet))
    {
        Config = config;
        var ch = config.Channels;
        var levels = ch.Length;
        Time1 = nn.Linear(TimeFrequencies, config.TimeDim);
        Time2 = nn.Linear(config.TimeDim, config.TimeDim);
        ConvIn = nn.Conv2d(config.SampleChannels, ch[0], 3, padding: 1);
        DownRes = nn.ModuleList(Enumerable.Range(0, levels).Select(i => new ResBlock(i == 0 ? ch[0] : ch[i - 1], ch[i], config.TimeDim, config.Groups)).ToArray());
        DownAttn = nn.ModuleList(AttentionLevels(config).Select(i => new SpatialTransformer(ch[i], config.ContextDim, config.Heads, config.Groups, config.PositionFeatures)).ToArray());
        Downsamplers = nn.ModuleList(Enumerable.Range(0, levels - 1).Select(i => nn.Conv2d(ch[i], ch[i], 3, stride: 2, padding: 1)).ToArray());
        MidRes1 = new ResBlock(ch[^1], ch[^1], config.TimeDim, config.Groups);
        MidAttn = new SpatialTransformer(ch[^1], config.ContextDim, config.Heads, config.Groups, config.PositionFeatures);
        MidRes2 = new ResBlock(ch[^1], ch[^1], config.TimeDim, config.Groups);
        // Upsamplers[i] brings level i+1 up to level i (nearest ×2 then conv to ch[i]).
        Upsamplers = nn.ModuleList(Enumerable.Range(0, levels - 1).Select(i => nn.Conv2d(ch[i + 1], ch[i], 3, padding: 1)).ToArray());
        UpRes = nn.ModuleList(Enumerable.Range(0, levels).Select(i => new ResBlock(2 * ch[i], ch[i], config.TimeDim, config.Groups)).ToArray());
        UpAttn = nn.ModuleList(AttentionLevels(config).Select(i => new SpatialTransformer(ch[i], config.ContextDim, config.Heads, config.Groups, config.PositionFeatures)).ToArray());
        NormOut = Norms.GroupNorm(config.Groups, ch[0]);
        ConvOut = nn.Conv2d(ch[0], config.InChannels, 3, padding: 1);
        RegisterComponents();
        using (no_grad())
        {
            ConvOut.weight!.zero_();
            ConvOut.bias!.zero_();
        }
    }

    public static IEnumerable<int> AttentionLevels(UNetConfig config) =>
        Enumerable.Range(config.FirstAttentionLevel, config.Channels.Length - config.FirstAttentionLevel);

    private Tensor Attend(ModuleList<SpatialTransformer> blocks, int level, Tensor h, Tensor context) =>
        Config.HasAttention(level) ? blocks[level - Config.FirstAttentionLevel].forward(h, context) : h;

    /// <summary>Size of the sinusoidal timestep features.</summary>
    public const int TimeFrequencies = 64;

    /// <summary>exp(-ln(10000)·i/half), i = 0…half-1; features are [cos(t·f), sin(t·f)] as in SD.</summary>
    public static float[] Frequencies()
    {
        const int half = TimeFrequencies / 2;
        return Enumerable.Range(0, half).Select(i => (float)Math.Exp(-Math.Log(10000) * i / half)).ToArray();
    }

    public Tensor TimeEmbedding(Tensor timestep)
    {
        var args = timestep.to_type(ScalarType.Float32).unsqueeze(1) * tensor(Frequencies()).unsqueeze(0);
        var features = cat([args.cos(), args.sin()], 1);
        return nn.functional.silu(Time2.forward(nn.functional.silu(Time1.forward(features))));
    }

    public override Tensor forward(Tensor sample, Tensor timestep, Tensor context)
    {
        var time = TimeEmbedding(timestep);
        var h = ConvIn.forward(sample);
        var skips = new List<Tensor>();
        var levels = Config.Channels.Length;
        for (var i = 0; i < levels; i++)
        {
            h = Attend(DownAttn, i, DownRes[i].forward(h, time), context);
            skips.Add(h);
            if (i < levels - 1)
            {
                h = Downsamplers[i].forward(h);
            }
        }

        h = MidRes2.forward(MidAttn.forward(MidRes1.forward(h, time), context), time);
        for (var i = levels - 1; i >= 0; i--)
        {
            if (i < levels - 1)
            {
                h = Upsamplers[i].forward(VaeDecoderNet.NearestUp2(h));
            }

            h = Attend(UpAttn, i, UpRes[i].forward(cat([h, skips[i]], 1), time), context);
        }

        return ConvOut.forward(nn.functional.silu(NormOut.forward(h)));
    }
}
