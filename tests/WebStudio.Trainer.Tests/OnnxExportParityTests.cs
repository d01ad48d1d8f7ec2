using Microsoft.ML.OnnxRuntime;
using WebStudio.ShapesWorld.Captions;
using WebStudio.Trainer.Data;
using WebStudio.Trainer.Export;
using WebStudio.Trainer.Models;
using WebStudio.Trainer.Tokenizer;
using WebStudio.Trainer.Training;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Tests;

/// <summary>Trains the tiny configuration for a few steps, exports it, and checks every ONNX graph computes
/// what its TorchSharp module computes on the same random inputs.</summary>
public sealed class OnnxExportParityTests : IClassFixture<OnnxExportParityTests.TinyTrainedModel>
{
    private const float Tolerance = 1e-4f;
    private readonly TinyTrainedModel _model;

    public OnnxExportParityTests(TinyTrainedModel model) => _model = model;

    [Fact]
    public void VAE_encoder_matches_Torch()
    {
        using var _ = no_grad();
        var image = rand(2, 3, 128, 128, generator: new Generator(1)) * 2 - 1;
        var expected = _model.Encoder.forward(image);
        var actual = Run("vae_encoder", ("sample", image));
        AssertClose(expected, actual, [2, 4, 16, 16]);
    }

    [Fact]
    public void VAE_encoder_handles_other_sizes()
    {
        using var _ = no_grad();
        var image = rand(1, 3, 64, 96, generator: new Generator(2)) * 2 - 1;
        AssertClose(_model.Encoder.forward(image), Run("vae_encoder", ("sample", image)), [1, 4, 8, 12]);
    }

    [Fact]
    public void VAE_decoder_matches_Torch()
    {
        using var _ = no_grad();
        var latent = randn(new long[] { 2, 4, 16, 16 }, generator: new Generator(3));
        AssertClose(_model.Decoder.forward(latent), Run("vae_decoder", ("latent_sample", latent)), [2, 3, 128, 128]);
    }

    [Fact]
    public void Text_encoder_matches_Torch()
    {
        using var _ = no_grad();
        var ids = new[] { "a red circle above a blue square", "", "the letter k in yellow on black" }
            .SelectMany(_model.Tokenizer.Encode).ToArray();
        var torchIds = tensor(ids.Select(i => (long)i).ToArray(), [3, ShapesTokenizer.MaxLength]);
        var expected = _model.Text.forward(torchIds);
        using var session = Session("text_encoder");
        using var input = OrtValue.CreateTensorValueFromMemory(ids, [3, ShapesTokenizer.MaxLength]);
        using var outputs = session.Run(new RunOptions(), ["input_ids"], [input], ["last_hidden_state"]);
        AssertClose(expected, outputs[0], [3, 77, ArchitectureConfig.Tiny.TextWidth]);
    }

    [Fact]
    public void UNet_matches_Torch()
    {
        using var _ = no_grad();
        var generator = new Generator(4);
        var sample = randn(new long[] { 3, 4, 16, 16 }, generator: generator);
        var timestep = tensor(new[] { 999f, 480.5f, 3f });
        var context = randn(new long[] { 3, 77, ArchitectureConfig.Tiny.TextWidth }, generator: generator);
        var expected = _model.UNet.forward(sample, timestep, context);
        var actual = Run("unet", ("sample", sample), ("timestep", timestep), ("encoder_hidden_states", context));
        AssertClose(expected, actual, [3, 4, 16, 16]);
    }

    [Fact]
    public void UNet_handles_other_sizes()
    {
        // The position features are counted from the tensor in the graph, so a wide latent gets its own coordinates.
        using var _ = no_grad();
        var generator = new Generator(7);
        var sample = randn(new long[] { 1, 4, 8, 12 }, generator: generator);
        var timestep = tensor(new[] { 500f });
        var context = randn(new long[] { 1, 77, ArchitectureConfig.Tiny.TextWidth }, generator: generator);
        var expected = _model.UNet.forward(sample, timestep, context);
        var actual = Run("unet", ("sample", sample), ("timestep", timestep), ("encoder_hidden_states", context));
        AssertClose(expected, actual, [1, 4, 8, 12]);
    }

    [Fact]
    public void Position_features_are_the_tokens_centres_from_left_and_top()
    {
        using var _ = no_grad();
        var features = SpatialTransformer.PositionFeatures(randn(2, 3, 2, 4)); // [B, H·W, 6], row-major tokens
        Assert.Equal(new long[] { 2, 8, 6 }, features.shape);
        float[] u = [-0.75f, -0.25f, 0.25f, 0.75f, -0.75f, -0.25f, 0.25f, 0.75f];
        float[] v = [-0.5f, -0.5f, -0.5f, -0.5f, 0.5f, 0.5f, 0.5f, 0.5f];
        var values = OnnxEmitter.Values(features[1]);
        for (var token = 0; token < 8; token++)
        {
            Assert.Equal(u[token], values[token * 6], 5);
            Assert.Equal(v[token], values[token * 6 + 1], 5);
            Assert.Equal(MathF.Sin(MathF.PI * u[token]), values[token * 6 + 2], 5);
            Assert.Equal(MathF.Cos(MathF.PI * v[token]), values[token * 6 + 5], 5);
        }
    }

    [Fact]
    public void Folder_has_the_Stable_Diffusion_layout()
    {
        foreach (var file in new[]
        {
            "model_index.json", "scheduler/scheduler_config.json", "tokenizer/vocab.json", "tokenizer/merges.txt",
            "tokenizer/tokenizer_config.json", "text_encoder/model.onnx", "unet/model.onnx", "unet/config.json",
            "vae_encoder/model.onnx", "vae_decoder/model.onnx", "vae_decoder/config.json",
        })
        {
            Assert.True(File.Exists(Path.Combine(_model.Folder, file)), $"{file} is missing");
        }

        var config = WebStudio.Generation.Models.ModelConfig.Read(_model.Folder);
        Assert.Equal(_model.ScalingFactor, config.ScalingFactor, 5);
        Assert.Equal(VaeConfig.Downsampling, config.VaeScaleFactor);
        Assert.Equal(128, config.NativeSize);
    }

    private OrtValue Run(string component, params (string Name, Tensor Value)[] inputs)
    {
        using var session = Session(component);
        var values = inputs.Select(i => OrtValue.CreateTensorValueFromMemory(OnnxEmitter.Values(i.Value), i.Value.shape)).ToArray();
        try
        {
            using var outputs = session.Run(new RunOptions(), inputs.Select(i => i.Name).ToArray(), values, [session.OutputNames[0]]);
            var data = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            return OrtValue.CreateTensorValueFromMemory(data, outputs[0].GetTensorTypeAndShape().Shape);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    private InferenceSession Session(string component) =>
        new(Path.Combine(_model.Folder, component, "model.onnx"));

    private static void AssertClose(Tensor expected, OrtValue actual, long[] shape)
    {
        Assert.Equal(shape, expected.shape);
        Assert.Equal(shape, actual.GetTensorTypeAndShape().Shape);
        var want = OnnxEmitter.Values(expected);
        var got = actual.GetTensorDataAsSpan<float>().ToArray();
        var maxDiff = want.Zip(got, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(want.Any(v => Math.Abs(v) > 1e-3f), "the reference output is all zeros, so the comparison proves nothing");
        Assert.True(maxDiff <= Tolerance, $"max |torch - onnx| = {maxDiff:G4} > {Tolerance}");
        actual.Dispose();
    }

    /// <summary>The tiny configuration after two VAE and two UNet training steps (plus a random nudge to every
    /// weight, so zero-initialised output layers also take part), exported to a temporary folder.</summary>
    public sealed class TinyTrainedModel : IDisposable
    {
        public TinyTrainedModel()
        {
            set_num_threads(2);
            var root = Directory.CreateTempSubdirectory("trainer-parity-");
            Folder = Path.Combine(root.FullName, "model");
            var cache = Path.Combine(root.FullName, "cache");
            var config = ArchitectureConfig.Tiny;
            var files = ShapesTokenizerFiles.Build(CaptionGrammar.Vocabulary);
            Tokenizer = new ShapesTokenizer(files);
            (Encoder, Decoder) = new VaeTrainer(config.Vae, cache, seed: 5).Train(TimeSpan.FromMinutes(5), maxSteps: 2, resume: false);
            var data = LatentDataset.Encode(Encoder, seed: 5, count: 8);
            ScalingFactor = data.ScalingFactor;
            var nets = new UNetTrainer(config, Tokenizer, cache, seed: 5).Train(data, batchSize: 4, TimeSpan.FromMinutes(5), maxSteps: 2, resume: false);
            Text = nets.TextEma;
            UNet = nets.UNetEma;
            var random = new Generator(6);
            foreach (var module in new nn.Module[] { Encoder, Decoder, Text, UNet })
            {
                using var _ = no_grad();
                foreach (var p in module.parameters())
                {
                    p.add_(randn(p.shape, generator: random) * 0.05f);
                }
            }

            files.Write(Path.Combine(Folder, "tokenizer"));
            new ModelFolderWriter(Folder).Write(config, Encoder, Decoder, Text, UNet, ScalingFactor);
            _root = root;
        }

        private readonly DirectoryInfo _root;

        public string Folder { get; }

        internal ShapesTokenizer Tokenizer { get; }

        internal VaeEncoderNet Encoder { get; }

        internal VaeDecoderNet Decoder { get; }

        internal TextEncoderNet Text { get; }

        internal UNetNet UNet { get; }

        public float ScalingFactor { get; }

        public void Dispose() => _root.Delete(recursive: true);
    }
}
