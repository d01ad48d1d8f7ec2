namespace WebStudio.Generation.Pipelines;

/// <summary>
/// The guidance-scale embedding LCM UNets take as timestep_cond (diffusers' get_guidance_scale_embedding):
/// w = (g − 1)·1000, f = exp(−ln(10000)/(half − 1)·k), embedding = [sin(w f), cos(w f)], zero-padded to odd widths.
/// </summary>
public static class GuidanceEmbedding
{
    public static float[] Create(float guidance, int dimension)
    {
        var w = (guidance - 1f) * 1000f;
        var half = dimension / 2;
        var embedding = new float[dimension];
        var scale = Math.Log(10000.0) / (half - 1);
        for (var k = 0; k < half; k++)
        {
            var frequency = (float)Math.Exp(-scale * k);
            var angle = w * frequency;
            embedding[k] = MathF.Sin(angle);
            embedding[half + k] = MathF.Cos(angle);
        }

        return embedding;
    }
}
