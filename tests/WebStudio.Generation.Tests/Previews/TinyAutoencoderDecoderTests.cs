using Microsoft.Extensions.Logging.Abstractions;
using WebStudio.Generation.Models;
using WebStudio.Generation.Previews;
using WebStudio.Generation.Tensors;
using WebStudio.Onnx;
using WebStudio.Testing.TinyModels;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.Generation.Tests.Previews;

[Trait("Capability", "UserModels")]
public sealed class TinyAutoencoderDecoderTests
{
    private static readonly ModelLoadOptions OnCpu = new() { UseCuda = false };

    public static TheoryData<bool> Precisions => [false, true];

    [Theory]
    [MemberData(nameof(Precisions))]
    public void The_tiny_decoder_takes_the_latents_as_the_unet_makes_them_and_gives_pixels_in_minus_one_to_one(bool fp16)
    {
        // AutoencoderTiny's scaling_factor is 1.0 and DecoderTiny ends with ×2 − 1: the pass-through decoder's pixels are
        // the latents themselves, so each byte must be the latent value read as [-1, 1]. Dividing by SD's 0.18215 first
        // would saturate 0.5 to 255; reading [0, 1] would turn 0 into black rather than mid-grey.
        using var temp = new TempFolder();
        using var decoder = TinyAutoencoderDecoder.Load(TinyTaesd.Write(temp.Path, TinyTaesd.BuildPassThrough(FloatType(fp16))), OnCpu, NullLogger.Instance);
        float[] values = [-1f, -0.5f, 0f, 0.5f, 1f, 0.25f];
        var latents = Latents.Zeros(2, 4, 1, 2);
        for (var c = 0; c < 3; c++)
        {
            latents.Data[latents.SampleLength + 2 * c] = values[2 * c];
            latents.Data[latents.SampleLength + 2 * c + 1] = values[2 * c + 1];
        }

        var frame = decoder.Decode(latents, sampleIndex: 1);

        Assert.Equal((16, 8), (frame.Width, frame.Height));
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 16; x++)
            {
                var pixel = 3 * (y * 16 + x);
                var cell = x / 8;
                Assert.Equal(new[] { Expected(values[cell]), Expected(values[2 + cell]), Expected(values[4 + cell]) }, frame.Rgb[pixel..(pixel + 3)]);
            }
        }

        Assert.Equal(new[] { 0, 64, 128, 191, 255 }, new[] { -1f, -0.5f, 0f, 0.5f, 1f }.Select(v => (int)ImageTensors.ToByte(v)));
    }

    [Theory]
    [MemberData(nameof(Precisions))]
    public void A_TAESD_shaped_decoder_upsamples_eight_times_to_rgb(bool fp16)
    {
        using var temp = new TempFolder();
        var path = TinyTaesd.Write(temp.Path, TinyTaesd.BuildDecoder(channels: 8, FloatType(fp16)));
        using var decoder = TinyAutoencoderDecoder.Load(path, OnCpu, NullLogger.Instance);
        var latents = new Latents(new GaussianNoise(3).Next(4 * 6 * 5), 1, 4, 6, 5);

        // The names and element types optimum gives AutoencoderTiny's decoder.
        var graph = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph;
        var input = Assert.Single(graph.Input);
        var output = Assert.Single(graph.Output);
        Assert.Equal(("latent_sample", (int)FloatType(fp16)), (input.Name, input.Type.TensorType.ElemType));
        Assert.Equal(("sample", (int)FloatType(fp16)), (output.Name, output.Type.TensorType.ElemType));

        var frame = decoder.Decode(latents);

        Assert.Equal((40, 48), (frame.Width, frame.Height));
        Assert.Equal(3 * 40 * 48, frame.Rgb.Length);
        Assert.True(frame.Rgb.Distinct().Count() > 8, "a random decoder should draw more than a flat picture");
    }

    [Fact]
    public void The_benchmark_decoder_has_TAESD_s_real_layers_and_size()
    {
        // conv_in 4→64, ten blocks of three 64→64 convs, three bias-free up convs and conv_out 64→3: 1 222 531 weights.
        Assert.Equal(1_222_531, TinyTaesd.ParameterCount(TinyTaesd.BuildDecoder()));
    }

    [Fact]
    public void A_missing_tiny_decoder_is_a_load_error_naming_the_file()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("vae_approx", "model.onnx");

        var error = Assert.Throws<ModelLoadException>(() => TinyAutoencoderDecoder.Load(path, OnCpu, NullLogger.Instance));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_malformed_tiny_decoder_is_a_load_error_naming_the_file()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("model.onnx");
        File.WriteAllText(path, "not an onnx graph at all");

        var error = Assert.Throws<ModelLoadException>(() => TinyAutoencoderDecoder.Load(path, OnCpu, NullLogger.Instance));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_decoder_with_other_input_names_is_a_load_error_listing_its_inputs()
    {
        using var temp = new TempFolder();
        var g = new GraphBuilder("not_taesd");
        var x = g.Input("x", DataType.Float, "batch", 4, "h", "w");
        g.Output("sample", DataType.Float, ["batch", 3, "h", "w"], from: g.Slice(x, [0], [3], [1]));
        var path = TinyTaesd.Write(temp.Path, g);

        var error = Assert.Throws<ModelLoadException>(() => TinyAutoencoderDecoder.Load(path, OnCpu, NullLogger.Instance));

        Assert.Contains("'latent_sample'", error.Message);
        Assert.Contains("x", error.Message);
        Assert.Contains(path, error.Message);
    }

    private static DataType FloatType(bool fp16) => fp16 ? DataType.Float16 : DataType.Float;

    private static byte Expected(float value) => (byte)MathF.Round(Math.Clamp((value + 1f) / 2f, 0f, 1f) * 255f);
}
