using Microsoft.ML.OnnxRuntime.Tensors;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Tensors;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Models;

/// <summary>force_upcast: SDXL's VAE overflows in float16, so a float16 VAE is run in float32 unless its config says
/// force_upcast false (a fixed fp16 VAE such as sdxl-vae-fp16-fix), which then runs in float16 as exported.</summary>
[Trait("Capability", "UserModels")]
[Collection(Pipelines.TinyModelCollection.Name)]
public sealed class SdxlVaeUpcastTests(TinyModelFolders models)
{
    private static readonly TinyModelVariant Upcast = TinyModelVariant.SdxlBase with { Fp16 = true };
    private static readonly TinyModelVariant FixedVae = Upcast with { FixedFp16Vae = true };

    [Fact]
    public void A_float16_SDXL_VAE_runs_in_float32_unless_its_config_clears_force_upcast()
    {
        var upcast = models.Load(Upcast);
        var fixedVae = models.Load(FixedVae);

        Assert.True(upcast.Config.ForceUpcast);
        Assert.Equal(TensorElementType.Float, upcast.VaeDecoder.ElementType);
        Assert.False(fixedVae.Config.ForceUpcast);
        Assert.Equal(TensorElementType.Float16, fixedVae.VaeDecoder.ElementType);
        // The UNet is not touched: it stays float16.
        Assert.Equal(TensorElementType.Float16, upcast.UNet.ElementType);
    }

    [Fact]
    public void The_upcast_decoder_decodes_what_the_float16_one_does_and_stays_finite_past_float16s_range()
    {
        var upcast = new StableDiffusionPipeline(models.Load(Upcast));
        var half = new StableDiffusionPipeline(models.Load(FixedVae));
        var random = new Random(4);
        var ordinary = new Latents(Enumerable.Range(0, 4 * 8 * 8).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), 1, 4, 8, 8);

        var a = upcast.DecodeLatents(ordinary).Data;
        var b = half.DecodeLatents(ordinary).Data;
        Assert.True(a.Zip(b, (x, y) => Math.Abs(x - y)).Max() < 0.02f, "the upcast decoder should agree with the float16 one");

        // Latents that, divided by the scaling factor, pass float16's 65504: float16 turns them into infinities.
        var large = ordinary.WithData(ordinary.Data.Select(v => v * 10000f).ToArray());
        Assert.All(upcast.DecodeLatents(large).Data, v => Assert.True(float.IsFinite(v)));
        Assert.Contains(half.DecodeLatents(large).Data, v => !float.IsFinite(v));
    }

    [Fact]
    public void The_memory_estimate_counts_an_upcast_VAE_at_float32_and_a_fixed_one_at_float16()
    {
        var upcast = ModelShapes.Read(models.Write(Upcast));
        var fixedVae = ModelShapes.Read(models.Write(FixedVae));
        Assert.Equal((2, 4, 2), (upcast.ElementBytes, upcast.VaeElementBytes, fixedVae.VaeElementBytes));

        var (a, b) = (MemoryEstimate.Of(upcast, 1024, 1024, 1, 5f), MemoryEstimate.Of(fixedVae, 1024, 1024, 1, 5f));
        Assert.Equal(a.UNetActivations, b.UNetActivations);
        Assert.True(a.VaeDecode > b.VaeDecode, $"upcast {a.VaeDecode:N0} against fixed {b.VaeDecode:N0}");
    }
}
