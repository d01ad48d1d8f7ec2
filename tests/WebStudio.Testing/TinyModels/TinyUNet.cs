namespace WebStudio.Testing.TinyModels;

/// <summary>
/// A small UNet2DConditionModel look-alike: timestep embedding (+ LCM guidance condition), one ResNet block
/// fed by the embedding, one cross-attention block over encoder_hidden_states, and the output conv.
/// </summary>
internal static class TinyUNet
{
    private const int Groups = 8;

    public static GraphBuilder Build(TinyModelVariant variant)
    {
        var g = new GraphBuilder("unet", variant.FloatType, variant.Seed + 2);
        var channels = variant.UNetChannels;
        var timeWidth = 4 * channels;
        var width = variant.TextWidth;
        Dim batch = variant.FixedBatch1 ? 1 : "batch";

        var sample = g.Input("sample", variant.FloatType, batch, variant.UNetInChannels, "height", "width");
        var timestep = variant.ScalarTimestep ? g.Input("timestep", variant.TimestepType) : g.Input("timestep", variant.TimestepType, batch);
        Dim textLength = variant.FixedTextLength ? TinyModelVariant.MaxTokens : "sequence";
        var context = g.Input("encoder_hidden_states", variant.FloatType, batch, textLength, width);

        var embedding = g.TimestepEmbedding(timestep, channels);
        if (variant.Lcm)
        {
            var condition = g.Input("timestep_cond", variant.FloatType, batch, TinyModelVariant.TimeCondDim);
            embedding = g.Add(embedding, g.Linear(condition, TinyModelVariant.TimeCondDim, channels, bias: false, name: "cond_proj"));
        }

        var time = g.Linear(g.SiLU(g.Linear(embedding, channels, timeWidth, name: "time_linear_1")), timeWidth, timeWidth, name: "time_linear_2");
        if (variant.IsXl)
        {
            time = g.Add(time, XlAddedEmbedding(g, variant, batch, timeWidth));
        }

        var h = g.Conv2d(sample, variant.UNetInChannels, channels, name: "conv_in");

        // ResNet block: the time embedding is added per channel between the two convolutions.
        var timeBias = g.Unsqueeze(g.Linear(g.SiLU(time), timeWidth, channels, name: "time_emb_proj"), 2, 3);
        var residual = g.Add(TinyBlocks.NormActConv(g, h, channels, channels, Groups), timeBias);
        h = g.Add(h, TinyBlocks.NormActConv(g, residual, channels, channels, Groups));

        // Transformer block: pixels become a [B, H*W, C] sequence that attends over the text.
        var sequence = g.Transpose(g.Reshape(g.GroupNorm(h, channels, Groups), 0, channels, -1), 0, 2, 1);
        sequence = g.Linear(sequence, channels, channels, name: "proj_in");
        sequence = g.Add(sequence, TinyBlocks.Attention(g, g.LayerNorm(sequence, channels), context, channels, width));
        sequence = g.Linear(sequence, channels, channels, name: "proj_out");
        h = g.Add(h, g.ReshapeTo(g.Transpose(sequence, 0, 2, 1), g.Shape(h)));

        var output = TinyBlocks.NormActConv(g, h, channels, TinyModelVariant.LatentChannels, Groups);
        g.Output("out_sample", variant.FloatType, [batch, TinyModelVariant.LatentChannels, "height", "width"], from: output);
        return g;
    }

    /// <summary>SDXL's addition_embed_type "text_time": each time id's sinusoidal embedding, flattened, after the pooled
    /// text_embeds, through a two-layer MLP; added to the time embedding (diffusers' add_embedding).</summary>
    private static string XlAddedEmbedding(GraphBuilder g, TinyModelVariant variant, Dim batch, int timeWidth)
    {
        var textEmbeds = g.Input("text_embeds", variant.FloatType, batch, variant.PooledWidth);
        var timeIds = g.Input("time_ids", variant.FloatType, batch, variant.TimeIdCount);
        var idsWidth = variant.TimeIdCount * TinyModelVariant.AdditionTimeEmbedDim;
        var idsEmbedding = g.Reshape(g.TimestepEmbedding(timeIds, TinyModelVariant.AdditionTimeEmbedDim), -1, idsWidth);
        var added = g.Concat(1, textEmbeds, idsEmbedding);
        var inWidth = variant.PooledWidth + idsWidth;
        return g.Linear(g.SiLU(g.Linear(added, inWidth, timeWidth, name: "add_linear_1")), timeWidth, timeWidth, name: "add_linear_2");
    }
}
