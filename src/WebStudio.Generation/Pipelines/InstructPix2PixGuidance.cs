namespace WebStudio.Generation.Pipelines;

/// <summary>
/// InstructPix2Pix's three-way guidance, in diffusers' order: the UNet runs a batch of (instruction + image,
/// empty + image, empty + zero image) and the noise is <c>uncond + s_text·(text − image) + s_image·(image − uncond)</c>.
/// </summary>
internal static class InstructPix2PixGuidance
{
    /// <summary>Number of UNet rows per image under guidance.</summary>
    public const int Chunks = 3;

    /// <summary>diffusers' do_classifier_free_guidance for InstructPix2Pix: text scale above 1 and image scale at
    /// least 1; otherwise one row per image (instruction + image) and its prediction as it is.</summary>
    public static bool Applies(InstructionEdit edit) => edit.TextGuidance > 1f && edit.ImageGuidance >= 1f;

    /// <summary>Combines a prediction of 3·<paramref name="length"/> values: the text chunk, the image chunk and the
    /// unconditional chunk, each <paramref name="length"/> long.</summary>
    public static float[] Combine(ReadOnlySpan<float> prediction, int length, float textScale, float imageScale)
    {
        if (prediction.Length != Chunks * length)
        {
            throw new ArgumentException($"the prediction holds {prediction.Length} values, not {Chunks} × {length}", nameof(prediction));
        }

        var text = prediction[..length];
        var image = prediction.Slice(length, length);
        var uncond = prediction.Slice(2 * length, length);
        var result = new float[length];
        for (var i = 0; i < length; i++)
        {
            result[i] = uncond[i] + textScale * (text[i] - image[i]) + imageScale * (image[i] - uncond[i]);
        }

        return result;
    }
}
