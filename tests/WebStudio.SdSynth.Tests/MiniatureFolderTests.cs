using Onnx;
using WebStudio.Onnx;
using WebStudio.SdSynth;
using DataType = Onnx.TensorProto.Types.DataType;

namespace WebStudio.SdSynth.Tests;

/// <summary>The files the writer produces: optimum's layout and signatures, streamed weights, the README and marker.</summary>
[Collection(MiniatureCollection.Name)]
public class MiniatureFolderTests(MiniatureFolders folders)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Graphs_have_optimum_signatures(bool fp16)
    {
        var folder = folders.Get(fp16).Folder;
        var floatType = fp16 ? DataType.Float16 : DataType.Float;

        var text = Read(folder, SynthComponents.TextEncoder);
        Assert.Equal(DataType.Int64, ElementType(text.Graph.Input.Single(i => i.Name == "input_ids")));
        Assert.Equal(["last_hidden_state", "pooler_output"], text.Graph.Output.Select(o => o.Name));

        var unet = Read(folder, SynthComponents.UNet);
        var timestep = unet.Graph.Input.Single(i => i.Name == "timestep");
        Assert.Equal(floatType, ElementType(timestep));
        Assert.Empty(timestep.Type.TensorType.Shape.Dim); // rank-0 scalar
        Assert.Equal(["sample", "timestep", "encoder_hidden_states"], unet.Graph.Input.Select(i => i.Name));
        Assert.Equal("out_sample", Assert.Single(unet.Graph.Output).Name);
        Assert.All(unet.Graph.Input.Where(i => i.Name != "timestep"), i => Assert.Equal(floatType, ElementType(i)));

        Assert.Equal("latent_parameters", Assert.Single(Read(folder, SynthComponents.VaeEncoder).Graph.Output).Name);
        Assert.Equal("latent_sample", Assert.Single(Read(folder, SynthComponents.VaeDecoder).Graph.Input).Name);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Unet_weights_are_streamed_to_model_onnx_data_and_counted_exactly(bool fp16)
    {
        var (folder, report) = folders.Get(fp16);
        var unet = Read(folder, SynthComponents.UNet);
        var bytesPerValue = fp16 ? 2 : 4;

        var parameters = unet.Graph.Initializer.Where(IsParameter).ToList();
        var external = parameters.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External).ToList();
        Assert.NotEmpty(external);
        Assert.All(external, t => Assert.Equal(ExternalDataOptions.OptimumFileName, t.ExternalData.Single(e => e.Key == "location").Value));
        var externalBytes = external.Sum(t => long.Parse(t.ExternalData.Single(e => e.Key == "length").Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new FileInfo(Path.Combine(folder, SynthComponents.UNet, ExternalDataOptions.OptimumFileName)).Length, externalBytes);
        Assert.All(parameters.Except(external), t => Assert.True(t.RawData.Length < WeightSink.ExternalThreshold));

        // The count printed for the UNet is the sum of its parameter initializers' sizes.
        var counted = parameters.Sum(t => t.Dims.Aggregate(1L, (product, dim) => product * dim));
        Assert.Equal(report.Components.Single(c => c.Component == SynthComponents.UNet).Parameters, counted);
        Assert.Equal(counted * bytesPerValue, externalBytes + parameters.Except(external).Sum(t => (long)t.RawData.Length));
        Assert.False(File.Exists(Path.Combine(folder, SynthComponents.TextEncoder, ExternalDataOptions.OptimumFileName)));
    }

    [Fact]
    public void The_same_seed_writes_the_same_weights()
    {
        var again = Path.Combine(folders.Root, "again");
        SynthFolder.Write(again, SdArchitecture.Miniature, fp16: false);

        var dataFile = Path.Combine(SynthComponents.UNet, ExternalDataOptions.OptimumFileName);
        Assert.Equal(File.ReadAllBytes(Path.Combine(folders.Get(false).Folder, dataFile)), File.ReadAllBytes(Path.Combine(again, dataFile)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(folders.Get(false).Folder, "text_encoder", "model.onnx")), File.ReadAllBytes(Path.Combine(again, "text_encoder", "model.onnx")));
    }

    [Fact]
    public void The_folder_says_it_generates_noise_and_is_marked_complete()
    {
        var folder = folders.Get(true).Folder;

        var readme = File.ReadAllText(Path.Combine(folder, "README.md"));
        Assert.Contains("generates noise", readme);
        Assert.Contains("for measurement", readme);
        Assert.True(SynthFolder.IsComplete(folder, SdArchitecture.Miniature, fp16: true));
        Assert.False(SynthFolder.IsComplete(folder, SdArchitecture.Miniature, fp16: false));
        Assert.False(SynthFolder.IsComplete(folder, SdArchitecture.Sd15, fp16: true));
        foreach (var file in new[] { "model_index.json", "scheduler/scheduler_config.json", "tokenizer/vocab.json", "tokenizer/merges.txt", "unet/config.json", "vae_decoder/config.json" })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} is missing");
        }
    }

    private static ModelProto Read(string folder, string component)
    {
        using var stream = File.OpenRead(Path.Combine(folder, component, "model.onnx"));
        return ModelProto.Parser.ParseFrom(stream);
    }

    private static DataType ElementType(ValueInfoProto value) => (DataType)value.Type.TensorType.ElemType;

    // Helper constants (shapes, axes, frequencies) are not parameters; parameters carry diffusers' dotted names.
    private static bool IsParameter(TensorProto tensor) => tensor.Name.EndsWith(".weight", StringComparison.Ordinal) || tensor.Name.EndsWith(".bias", StringComparison.Ordinal);
}
