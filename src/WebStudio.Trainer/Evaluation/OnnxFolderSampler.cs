using Microsoft.ML.OnnxRuntime;
using WebStudio.Trainer.Tokenizer;
using WebStudio.Trainer.Training;

namespace WebStudio.Trainer.Evaluation;

/// <summary>
/// Minimal text-to-image sampler over an exported folder's ONNX sessions: DDIM (η = 0) on "trailing" timesteps
/// with classifier-free guidance (one batch-2 UNet call per step). The trainer uses it to score its own export
/// without depending on the app's pipeline.
/// </summary>
internal sealed class OnnxFolderSampler : IDisposable
{
    private const int LatentChannels = 4;
    private readonly InferenceSession _text;
    private readonly InferenceSession _unet;
    private readonly InferenceSession _decoder;
    private readonly RunOptions _run = new();
    private readonly ShapesTokenizer _tokenizer;
    private readonly float _scaling;

    public OnnxFolderSampler(string folder, ShapesTokenizer tokenizer, float scalingFactor, int threads)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        _text = new InferenceSession(Path.Combine(folder, ModelParts.TextEncoder, "model.onnx"), options);
        _unet = new InferenceSession(Path.Combine(folder, ModelParts.UNet, "model.onnx"), options);
        _decoder = new InferenceSession(Path.Combine(folder, ModelParts.VaeDecoder, "model.onnx"), options);
        _tokenizer = tokenizer;
        _scaling = scalingFactor;
    }

    public InferenceSession UNet => _unet;

    /// <summary>Returns the image as planar [3,8h,8w] floats in [-1,1].</summary>
    public float[] Generate(string prompt, long seed, int steps, float guidance, int latentSide = 16)
    {
        var context = Encode([string.Empty, prompt]);
        var size = LatentChannels * latentSide * latentSide;
        var latents = GaussianNoise(seed, size);
        var alphas = NoiseSchedule.AlphasCumprod;
        var stride = NoiseSchedule.TrainSteps / steps;
        for (var i = 0; i < steps; i++)
        {
            var t = NoiseSchedule.TrainSteps - 1 - (i * stride);
            var tPrev = t - stride;
            var batch = new float[2 * size];
            latents.CopyTo(batch, 0);
            latents.CopyTo(batch, size);
            var eps = RunUNet(batch, [t, t], context, latentSide);
            var aT = alphas[t];
            var aPrev = tPrev >= 0 ? alphas[tPrev] : alphas[0];
            for (var k = 0; k < size; k++)
            {
                var e = eps[k] + (guidance * (eps[size + k] - eps[k]));
                var x0 = (latents[k] - (Math.Sqrt(1 - aT) * e)) / Math.Sqrt(aT);
                latents[k] = (float)((Math.Sqrt(aPrev) * x0) + (Math.Sqrt(1 - aPrev) * e));
            }
        }

        for (var k = 0; k < size; k++)
        {
            latents[k] /= _scaling;
        }

        using var input = OrtValue.CreateTensorValueFromMemory(latents, [1, LatentChannels, latentSide, latentSide]);
        using var outputs = _decoder.Run(_run, ["latent_sample"], [input], ["sample"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray().Select(v => Math.Clamp(v, -1f, 1f)).ToArray();
    }

    public float[] RunUNet(float[] batch, float[] timesteps, float[] context, int latentSide)
    {
        var count = timesteps.Length;
        using var sample = OrtValue.CreateTensorValueFromMemory(batch, [count, LatentChannels, latentSide, latentSide]);
        using var time = OrtValue.CreateTensorValueFromMemory(timesteps, [count]);
        using var hidden = OrtValue.CreateTensorValueFromMemory(context, [count, ShapesTokenizer.MaxLength, context.Length / count / ShapesTokenizer.MaxLength]);
        using var outputs = _unet.Run(_run, ["sample", "timestep", "encoder_hidden_states"], [sample, time, hidden], ["out_sample"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public float[] Encode(string[] prompts)
    {
        var ids = prompts.SelectMany(_tokenizer.Encode).ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(ids, [prompts.Length, ShapesTokenizer.MaxLength]);
        using var outputs = _text.Run(_run, ["input_ids"], [input], ["last_hidden_state"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static float[] GaussianNoise(long seed, int count)
    {
        var random = new Random((int)(seed ^ (seed >> 32)));
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            // Box–Muller; 1 - NextDouble() keeps the log argument in (0, 1].
            var u = 1 - random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        return values;
    }

    public void Dispose()
    {
        _text.Dispose();
        _unet.Dispose();
        _decoder.Dispose();
        _run.Dispose();
    }
}
