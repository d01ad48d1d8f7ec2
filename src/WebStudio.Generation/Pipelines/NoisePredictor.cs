using WebStudio.Generation.Models;
using WebStudio.Generation.Tensors;

namespace WebStudio.Generation.Pipelines;

/// <summary>The text states and guidance a run conditions on. Unconditional is null when CFG is off. ImageScale is
/// an instruction edit's image guidance (Scale then its text guidance); Rescale is CFG's <see cref="GuidanceRescale"/>.</summary>
internal sealed record GuidanceInput(PromptEmbedding Conditional, PromptEmbedding? Unconditional, float Scale, float[]? TimestepCond, float ImageScale = 0f,
    float Rescale = 0f);

/// <summary>
/// One UNet evaluation per step with classifier-free guidance: a single batch of 2B (unconditional first, as
/// diffusers does) when the UNet takes any batch and both prompts have the same length, a batch per prompt when
/// their lengths differ, else separate batch-1 calls. Inpainting UNets (9 input channels)
/// get the mask and masked-image latents, or, without a mask, a full mask so they generate the whole canvas.
/// Instruction edits (<paramref name="editImage"/> set) run 3B rows in diffusers' order instead, each with the image
/// latents beside it (<see cref="InstructPix2PixGuidance"/>). One per job: it holds the job's
/// <see cref="UNetRun"/> (and with it the job's IOBindings) until disposed. It passes the UNet the same text arrays
/// at every step that uses them, which is what lets a binding be reused. An instruction edit's
/// <paramref name="changes"/>, when given, is handed each step's instruction term until it has seen its steps.
/// </summary>
internal sealed class NoisePredictor(UNet unet, Latents? inpaintChannels, Latents? editImage, RunClock clock, InstructionChangeMask? changes = null) : IDisposable
{
    private readonly UNetRun _run = unet.StartRun(clock);

    private float[]? _batchedHidden;
    private GuidanceInput? _batchedFor;
    private float[]? _batchedTimestepCond;
    private AddedConditions? _batchedAdded;

    // Per prompt, its text rows repeated for its share of the batch (when prompts of different lengths run apart).
    private readonly Dictionary<PromptEmbedding, float[]> _groupHidden = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<PromptEmbedding, AddedConditions?> _groupAdded = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<int, float[]?> _groupTimestepCond = [];
    private float[]? _repeated;

    /// <summary>The guided noise prediction for <paramref name="input"/>; <paramref name="guidance"/> may change
    /// from step to step (prompt editing): the batched text rows are rebuilt only when another instance comes.</summary>
    public float[] Predict(Latents input, float timestep, GuidanceInput guidance)
    {
        var batch = input.Batch;
        var conditional = guidance.Conditional;

        if (guidance.Unconditional is not { } unconditional)
        {
            return Evaluate(input, timestep, guidance, [(conditional, 0, batch)], imageRows: batch).ToArray();
        }

        if (editImage is not null)
        {
            // diffusers' InstructPix2Pix order: instruction + image, empty + image, empty + zero image.
            var rows = Repeated(input, InstructPix2PixGuidance.Chunks);
            var predicted = Evaluate(rows, timestep, guidance, [(conditional, 0, batch), (unconditional, batch, batch), (unconditional, 2 * batch, batch)],
                imageRows: 2 * batch);
            if (changes is { Complete: false })
            {
                changes.Watch(predicted, input.Data.Length);
            }

            return InstructPix2PixGuidance.Combine(predicted, input.Data.Length, guidance.Scale, guidance.ImageScale);
        }

        // Rows [0, B) unconditional, [B, 2B) conditional.
        var both = Repeated(input, 2);
        var prediction = Evaluate(both, timestep, guidance, [(unconditional, 0, batch), (conditional, batch, batch)], imageRows: 0);

        var result = new float[input.Data.Length];
        var scale = guidance.Scale;
        for (var i = 0; i < result.Length; i++)
        {
            var u = prediction[i];
            result[i] = u + scale * (prediction[result.Length + i] - u);
        }

        GuidanceRescale.Apply(result, prediction[result.Length..], batch, guidance.Rescale);
        return result;
    }

    /// <summary>The input <paramref name="copies"/> times over in one batch. It is only read during the UNet call, so
    /// one buffer serves every step.</summary>
    private Latents Repeated(Latents input, int copies)
    {
        var length = copies * input.Data.Length;
        var data = _repeated?.Length == length ? _repeated : _repeated = new float[length];
        for (var c = 0; c < copies; c++)
        {
            input.Data.CopyTo(data, c * input.Data.Length);
        }

        return new Latents(data, copies * input.Batch, input.Channels, input.Height, input.Width);
    }

    /// <summary>Runs the UNet over <paramref name="sample"/>, where each (embedding, start, count) names which rows use
    /// which text; for an instruction edit, rows before <paramref name="imageRows"/> see the image, the rest zeros.</summary>
    private ReadOnlySpan<float> Evaluate(Latents sample, float timestep, GuidanceInput guidance, (PromptEmbedding Text, int Start, int Count)[] rows, int imageRows)
    {
        var withMask = editImage is { } image ? AddImageChannels(sample, image, imageRows)
            : unet.InChannels == 9 ? AddInpaintChannels(sample)
            : sample;
        var text = rows[0].Text;
        if (unet.HasDynamicBatch && rows.All(r => r.Text.Tokens == text.Tokens))
        {
            // The text rows and guidance embedding stay the same from step to step unless the prompt is edited.
            if (_batchedHidden is null || !ReferenceEquals(_batchedFor, guidance))
            {
                _batchedHidden = BatchedHidden(sample.Batch, rows);
                _batchedAdded = BatchedAdded(sample.Batch, rows);
                _batchedFor = guidance;
            }

            _batchedTimestepCond ??= Repeat(guidance.TimestepCond, sample.Batch);
            return _run.Predict(withMask, timestep, _batchedHidden, text.Tokens, text.Width, _batchedTimestepCond, _batchedAdded);
        }

        var output = new float[sample.Data.Length];
        foreach (var (embedding, start, count) in rows)
        {
            if (unet.HasDynamicBatch)
            {
                // A prompt and a negative prompt of different lengths (in 77-token windows) cannot share a batch:
                // each runs as its own, which is exact, where padding the shorter one (A1111) would change it.
                var group = withMask.Rows(start, count);
                if (!_groupHidden.TryGetValue(embedding, out var states))
                {
                    _groupHidden[embedding] = states = Repeat(embedding.Hidden, count)!;
                }

                if (!_groupAdded.TryGetValue(embedding, out var added))
                {
                    _groupAdded[embedding] = added = BatchedAdded(count, [(embedding, 0, count)]);
                }

                if (!_groupTimestepCond.TryGetValue(count, out var cond))
                {
                    _groupTimestepCond[count] = cond = Repeat(guidance.TimestepCond, count);
                }

                _run.Predict(group, timestep, states, embedding.Tokens, embedding.Width, cond, added)
                    .CopyTo(output.AsSpan(start * sample.SampleLength));
                continue;
            }

            for (var r = start; r < start + count; r++)
            {
                var one = withMask.Slice(r);
                _run.Predict(one, timestep, embedding.Hidden, embedding.Tokens, embedding.Width, guidance.TimestepCond, embedding.Added)
                    .CopyTo(output.AsSpan(r * sample.SampleLength));
            }
        }

        return output;
    }

    private static float[] BatchedHidden(int batch, (PromptEmbedding Text, int Start, int Count)[] rows)
    {
        var rowLength = rows[0].Text.Hidden.Length;
        var hidden = new float[batch * rowLength];
        foreach (var (embedding, start, count) in rows)
        {
            for (var r = start; r < start + count; r++)
            {
                embedding.Hidden.CopyTo(hidden, r * rowLength);
            }
        }

        return hidden;
    }

    /// <summary>SDXL's pooled embeds and time ids for each row, from the prompt that row uses; null for SD.</summary>
    private static AddedConditions? BatchedAdded(int batch, (PromptEmbedding Text, int Start, int Count)[] rows)
    {
        if (rows[0].Text.Added is not { } first)
        {
            return null;
        }

        var embeds = new float[batch * first.TextEmbeds.Length];
        var timeIds = new float[batch * first.TimeIds.Length];
        foreach (var (embedding, start, count) in rows)
        {
            var added = embedding.Added!;
            for (var r = start; r < start + count; r++)
            {
                added.TextEmbeds.CopyTo(embeds, r * first.TextEmbeds.Length);
                added.TimeIds.CopyTo(timeIds, r * first.TimeIds.Length);
            }
        }

        return new AddedConditions(embeds, timeIds);
    }

    private static float[]? Repeat(float[]? row, int times)
    {
        if (row is null)
        {
            return null;
        }

        var result = new float[row.Length * times];
        for (var i = 0; i < times; i++)
        {
            row.CopyTo(result, i * row.Length);
        }

        return result;
    }

    /// <summary>Appends the image latents' channels to each row (row r uses image r mod B), zeros from row
    /// <paramref name="imageRows"/> on: diffusers' unconditional image.</summary>
    private static Latents AddImageChannels(Latents sample, Latents image, int imageRows)
    {
        var result = Latents.Zeros(sample.Batch, sample.Channels + image.Channels, sample.Height, sample.Width);
        for (var r = 0; r < sample.Batch; r++)
        {
            var target = r * result.SampleLength;
            Array.Copy(sample.Data, r * sample.SampleLength, result.Data, target, sample.SampleLength);
            if (r < imageRows)
            {
                Array.Copy(image.Data, r % image.Batch * image.SampleLength, result.Data, target + sample.SampleLength, image.SampleLength);
            }
        }

        return result;
    }

    /// <summary>Appends 5 channels per row: the mask and masked-image latents (row r uses image r mod B).</summary>
    private Latents AddInpaintChannels(Latents sample)
    {
        var plane = sample.Height * sample.Width;
        var result = Latents.Zeros(sample.Batch, 9, sample.Height, sample.Width);
        for (var r = 0; r < sample.Batch; r++)
        {
            var target = r * result.SampleLength;
            Array.Copy(sample.Data, r * sample.SampleLength, result.Data, target, sample.SampleLength);
            if (inpaintChannels is { } extra)
            {
                Array.Copy(extra.Data, r % extra.Batch * extra.SampleLength, result.Data, target + sample.SampleLength, extra.SampleLength);
            }
            else
            {
                Array.Fill(result.Data, 1f, target + 4 * plane, plane);
            }
        }

        return result;
    }

    public void Dispose() => _run.Dispose();
}
