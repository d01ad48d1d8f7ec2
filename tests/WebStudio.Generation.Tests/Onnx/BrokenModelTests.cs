using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using WebStudio.Onnx;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Onnx;

public sealed class BrokenModelTests
{
    [Theory]
    [InlineData(BrokenKind.MissingUnet, "unet/model.onnx")]
    [InlineData(BrokenKind.MissingMerges, "tokenizer/merges.txt")]
    [InlineData(BrokenKind.MissingExternalData, "unet/" + ExternalDataOptions.OptimumFileName)]
    public void Missing_file_kinds_remove_only_that_file(BrokenKind kind, string removed)
    {
        using var temp = new TempFolder();
        TinyStableDiffusion.WriteBroken(temp.Path, kind);

        Assert.False(File.Exists(temp.Combine(removed)));
        Assert.True(File.Exists(temp.Combine("model_index.json")));
        Assert.True(File.Exists(temp.Combine("tokenizer", "vocab.json")));
        Assert.True(File.Exists(TinyStableDiffusion.ModelPath(temp.Path, "text_encoder")));
    }

    [Fact]
    public void Missing_or_truncated_external_data_stops_ort_loading_the_unet()
    {
        foreach (var kind in new[] { BrokenKind.MissingExternalData, BrokenKind.TruncatedExternalData })
        {
            using var temp = new TempFolder();
            TinyStableDiffusion.WriteBroken(temp.Path, kind);

            Assert.ThrowsAny<OnnxRuntimeException>(() => new InferenceSession(TinyStableDiffusion.ModelPath(temp.Path, "unet")).Dispose());
        }
    }

    [Fact]
    public void Truncated_external_data_keeps_half_the_bytes()
    {
        using var whole = new TempFolder();
        using var broken = new TempFolder();
        TinyStableDiffusion.Write(whole.Path, TinyModelVariant.Optimum);
        TinyStableDiffusion.WriteBroken(broken.Path, BrokenKind.TruncatedExternalData);

        var full = new FileInfo(whole.Combine("unet", ExternalDataOptions.OptimumFileName)).Length;
        Assert.Equal(full / 2, new FileInfo(broken.Combine("unet", ExternalDataOptions.OptimumFileName)).Length);
    }

    [Fact]
    public void Misnamed_unet_input_is_a_valid_model_that_takes_latents()
    {
        using var temp = new TempFolder();
        TinyStableDiffusion.WriteBroken(temp.Path, BrokenKind.MisnamedUnetInput);

        using var session = new InferenceSession(TinyStableDiffusion.ModelPath(temp.Path, "unet"));

        Assert.Equal(["latents", "timestep", "encoder_hidden_states"], session.InputNames);
    }

    [Fact]
    public void Malformed_model_index_is_not_json()
    {
        using var temp = new TempFolder();
        TinyStableDiffusion.WriteBroken(temp.Path, BrokenKind.MalformedModelIndex);

        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(File.ReadAllText(temp.Combine("model_index.json"))));
    }
}
