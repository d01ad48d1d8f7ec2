namespace WebStudio.Generation.Models;

/// <summary>An SDXL folder's parts must agree with each other, checked at load rather than deep in a run.</summary>
internal static class XlModelCheck
{
    public static void Verify(ModelConfig config, IReadOnlyList<TextEncoderPart> encoders, UNet unet)
    {
        if (!config.IsXl)
        {
            if (unet.TakesAddedConditions)
            {
                throw new ModelLoadException(
                    $"unet/model.onnx takes text_embeds and time_ids, as an SDXL UNet does, but model_index.json names '{config.PipelineClass}' " +
                    "and lists no text_encoder_2; an SDXL folder's model_index.json names StableDiffusionXLPipeline.");
            }

            return;
        }

        if (encoders.FirstOrDefault(p => !p.Encoder.HasHiddenStates) is { } part)
        {
            throw new ModelLoadException(
                $"{part.Folder}/model.onnx has no hidden_states.* outputs, which SDXL conditions on (the penultimate layer); " +
                "export it with them, as optimum-cli export onnx does.");
        }

        if (!encoders[^1].Encoder.HasProjection)
        {
            throw new ModelLoadException($"{encoders[^1].Folder}/model.onnx has no output 'text_embeds' (SDXL's pooled text embedding).");
        }

        if (!unet.TakesAddedConditions)
        {
            throw new ModelLoadException("unet/model.onnx has no inputs 'text_embeds' and 'time_ids', which an SDXL UNet takes.");
        }

        var timeIds = config.RequiresAestheticsScore ? 5 : 6;
        if (unet.TimeIdCount is { } count && count != timeIds)
        {
            throw new ModelLoadException(
                $"unet/model.onnx takes {count} time ids, but model_index.json {(config.RequiresAestheticsScore ? "sets" : "does not set")} " +
                $"requires_aesthetics_score, which makes {timeIds} (diffusers' check of the refiner and the base).");
        }
    }
}
