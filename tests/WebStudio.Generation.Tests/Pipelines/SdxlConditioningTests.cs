using System.Text.Json.Nodes;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Testing.TinyModels;
using static WebStudio.Generation.Tests.Onnx.OrtTestRunner;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>
/// SDXL's conditioning, pinned against what diffusers' pipeline_stable_diffusion_xl.py computes: encode_prompt takes
/// hidden_states[-2] of each encoder (tokenized with its own tokenizer, padded to 77 with its own pad token) and
/// concatenates them on the last axis; the pooled embeds are text_encoder_2's text_embeds; _get_add_time_ids gives
/// original_size + crops_coords_top_left + target_size (the refiner: + aesthetic_score); force_zeros_for_empty_prompt
/// zeroes the negative embeds and pooled embeds. The expected tensors come from running the tiny encoders directly.
/// </summary>
[Trait("Capability", "UserModels")]
[Collection(TinyModelCollection.Name)]
public sealed class SdxlConditioningTests(TinyModelFolders models)
{
    private const string Prompt = "a photo of a cat";

    [Fact]
    public void Time_ids_are_original_size_crop_top_left_and_target_size_as_height_width_pairs()
    {
        var config = models.Load(TinyModelVariant.SdxlBase).Config;
        Assert.Equal([48f, 64f, 0f, 0f, 48f, 64f], XlConditioning.TimeIds(config, width: 64, height: 48, negative: false));
        // diffusers' negative_add_time_ids equal add_time_ids when no negative sizes are given.
        Assert.Equal([48f, 64f, 0f, 0f, 48f, 64f], XlConditioning.TimeIds(config, width: 64, height: 48, negative: true));
    }

    [Fact]
    public void The_refiners_time_ids_end_with_aesthetic_score_6_and_negative_2_5()
    {
        var config = models.Load(TinyModelVariant.SdxlRefiner).Config;
        Assert.True(config.RequiresAestheticsScore);
        Assert.Equal([1024f, 768f, 0f, 0f, 6f], XlConditioning.TimeIds(config, width: 768, height: 1024, negative: false));
        Assert.Equal([1024f, 768f, 0f, 0f, 2.5f], XlConditioning.TimeIds(config, width: 768, height: 1024, negative: true));
    }

    [Fact]
    public void Text_states_are_both_encoders_penultimate_layers_joined_on_the_feature_axis()
    {
        var v = TinyModelVariant.SdxlBase;
        var model = models.Load(v);
        var folder = models.Write(v);

        var embedding = TextConditioning.Encode(model, [Prompt], new RunClock())[0];

        var hidden1 = RunEncoder(folder, "text_encoder", Ids(folder, "tokenizer", Prompt))["hidden_states.1"].Data;
        var encoder2 = RunEncoder(folder, "text_encoder_2", Ids(folder, "tokenizer_2", Prompt));
        var hidden2 = encoder2["hidden_states.1"].Data;
        Assert.Equal((77, v.Text1Width + v.Text2Width), (embedding.Tokens, embedding.Width));
        for (var t = 0; t < 77; t++)
        {
            AssertClose(hidden1.AsSpan(t * v.Text1Width, v.Text1Width), embedding.Hidden.AsSpan(t * embedding.Width, v.Text1Width));
            AssertClose(hidden2.AsSpan(t * v.Text2Width, v.Text2Width), embedding.Hidden.AsSpan(t * embedding.Width + v.Text1Width, v.Text2Width));
        }

        // Not the last layer: hidden_states.2 (before the final norm) differs.
        Assert.NotEqual(RunEncoder(folder, "text_encoder", Ids(folder, "tokenizer", Prompt))["hidden_states.2"].Data[..8], embedding.Hidden[..8]);

        // The pooled embeds are text_encoder_2's projected text_embeds.
        AssertClose(encoder2["text_embeds"].Data, embedding.Pooled);
    }

    [Fact]
    public void Tokenizer_2_pads_with_its_own_pad_token()
    {
        var model = models.Load(TinyModelVariant.SdxlBase);
        var folder = models.Write(TinyModelVariant.SdxlBase);
        var vocabulary = Vocabulary(folder, "tokenizer_2");
        Assert.Equal(vocabulary["!"], model.TextEncoders[1].Tokenizer.PadId);
        Assert.Equal(vocabulary["<|endoftext|>"], model.TextEncoders[0].Tokenizer.PadId);
        Assert.NotEqual(model.TextEncoders[0].Tokenizer.PadId, model.TextEncoders[1].Tokenizer.PadId);
    }

    [Fact]
    public void The_refiner_conditions_on_encoder_2_alone()
    {
        var v = TinyModelVariant.SdxlRefiner;
        var model = models.Load(v);
        var folder = models.Write(v);

        var embedding = TextConditioning.Encode(model, [Prompt], new RunClock())[0];
        var encoder2 = RunEncoder(folder, "text_encoder_2", Ids(folder, "tokenizer_2", Prompt));

        Assert.Equal(["text_encoder_2"], model.TextEncoders.Select(p => p.Folder));
        Assert.Equal(v.Text2Width, embedding.Width);
        AssertClose(encoder2["hidden_states.1"].Data, embedding.Hidden);
        AssertClose(encoder2["text_embeds"].Data, embedding.Pooled);
    }

    [Fact]
    public void An_empty_negative_prompt_becomes_zeros_for_the_states_and_the_pooled_embeds()
    {
        var model = models.Load(TinyModelVariant.SdxlBase);
        var encoded = TextConditioning.Encode(model, ["", "blurry"], new RunClock());

        var empty = XlConditioning.Unconditional("", encoded[0], model.Config, 64, 64);
        Assert.All(empty.Hidden, v => Assert.Equal(0f, v));
        Assert.All(empty.Pooled!, v => Assert.Equal(0f, v));
        Assert.Equal(encoded[0].Hidden.Length, empty.Hidden.Length);
        Assert.Equal([64f, 64f, 0f, 0f, 64f, 64f], empty.TimeIds!);

        // A negative prompt that was given is encoded as text.
        var given = XlConditioning.Unconditional("blurry", encoded[1], model.Config, 64, 64);
        Assert.Same(encoded[1].Hidden, given.Hidden);
        Assert.Contains(given.Pooled!, v => v != 0f);
    }

    [Fact]
    public void The_refiner_encodes_an_empty_negative_prompt_as_its_config_clears_force_zeros()
    {
        var model = models.Load(TinyModelVariant.SdxlRefiner);
        Assert.False(model.Config.ForceZerosForEmptyPrompt);
        var encoded = TextConditioning.Encode(model, [""], new RunClock())[0];

        var negative = XlConditioning.Unconditional("", encoded, model.Config, 64, 64);
        Assert.Same(encoded.Hidden, negative.Hidden);
        Assert.Equal([64f, 64f, 0f, 0f, 2.5f], negative.TimeIds!);
    }

    [Fact]
    public void Weighting_applies_to_each_encoders_states_and_leaves_the_pooled_embeds()
    {
        var model = models.Load(TinyModelVariant.SdxlBase);
        var encoded = TextConditioning.Encode(model, [Prompt, "a photo of a (cat:1.5)"], new RunClock());

        Assert.NotEqual(encoded[0].Hidden, encoded[1].Hidden);
        Assert.Equal(encoded[0].Pooled, encoded[1].Pooled);
    }

    [Fact]
    public void A_long_prompts_windows_follow_one_another_on_both_encoders_with_the_first_windows_pooled_embeds()
    {
        var model = models.Load(TinyModelVariant.SdxlBase);
        var encoded = TextConditioning.Encode(model, [Prompt, Prompt + " BREAK a red horse"], new RunClock());

        Assert.Equal(2 * 77, encoded[1].Tokens);
        Assert.Equal(encoded[0].Hidden, encoded[1].Hidden[..encoded[0].Hidden.Length]);
        Assert.Equal(encoded[0].Pooled, encoded[1].Pooled);
    }

    /// <summary>CLIP's padding="max_length" ids, worked out from vocab.json: BOS, the words' ids, EOS, then pad_token.</summary>
    private static long[] Ids(string folder, string tokenizer, string prompt)
    {
        var vocabulary = Vocabulary(folder, tokenizer);
        var pad = (string)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, tokenizer, "tokenizer_config.json")))!["pad_token"]!;
        var ids = new List<long> { vocabulary["<|startoftext|>"] };
        ids.AddRange(prompt.Split(' ').Select(w => (long)vocabulary[w + "</w>"]));
        ids.Add(vocabulary["<|endoftext|>"]);
        while (ids.Count < 77)
        {
            ids.Add(vocabulary[pad]);
        }

        return [.. ids];
    }

    private static Dictionary<string, int> Vocabulary(string folder, string tokenizer) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, tokenizer, "vocab.json")))!.AsObject().ToDictionary(p => p.Key, p => (int)p.Value!);

    private static Dictionary<string, (float[] Data, int[] Shape, Type ElementType)> RunEncoder(string folder, string component, long[] ids) =>
        Run(TinyStableDiffusion.ModelPath(folder, component), Longs("input_ids", ids, 1, 77));

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"at {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    private static void AssertClose(float[] expected, float[]? actual) => AssertClose(expected.AsSpan(), (actual ?? []).AsSpan());
}
