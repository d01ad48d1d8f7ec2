using System.Diagnostics;
using WebStudio.Trainer.Data;
using WebStudio.Trainer.Models;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Training;

/// <summary>
/// Trains the deterministic autoencoder on random 64×64 crops (the nets are fully convolutional, and crops
/// cost a quarter of full images) with MSE + a little L1, and a tiny latent L2 penalty that keeps the latent
/// scale bounded. Checkpoints vae_encoder/vae_decoder (+ vae_state.json) in the cache folder.
/// With decoderOnly, the trained encoder stays as it is (so the latents, their scale and a UNet trained on them stay
/// valid) and only the decoder trains on, at <see cref="DecoderLearningRate"/>: the way to sharpen what a trained
/// model's images look like without training its UNet again.
/// </summary>
internal sealed class VaeTrainer(VaeConfig config, string cache, long seed)
{
    public const string StateFile = "vae_state.json";
    private const int BatchSize = 16;
    private const int Crop = 64;
    private const double LearningRate = 1e-3;
    public const double DecoderLearningRate = 3e-4;
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromMinutes(3);

    public sealed record State(long Step, long DataPosition, double Psnr);

    public (VaeEncoderNet Encoder, VaeDecoderNet Decoder) Train(TimeSpan budget, long maxSteps, bool resume, bool decoderOnly = false)
    {
        TorchCpu.UseAtenConvolutions();
        manual_seed(seed);
        var encoder = new VaeEncoderNet(config);
        var decoder = new VaeDecoderNet(config);
        var data = new SceneBatches(seed);
        var step = 0L;
        if (resume && Checkpoint.ReadState<State>(cache, StateFile) is { } state)
        {
            Checkpoint.Load(cache, ModelParts.VaeEncoder, encoder);
            Checkpoint.Load(cache, ModelParts.VaeDecoder, decoder);
            step = state.Step;
            data.Position = state.DataPosition;
            Console.WriteLine($"VAE: resumed at step {step}");
        }
        else if (decoderOnly)
        {
            // An imported cache has the VAE checkpoints but no VAE state: go on from them at step 0.
            Checkpoint.Load(cache, ModelParts.VaeEncoder, encoder);
            Checkpoint.Load(cache, ModelParts.VaeDecoder, decoder);
        }

        if (decoderOnly)
        {
            encoder.eval();
            Console.WriteLine($"VAE: training the decoder only (held-out PSNR before: {HeldOutPsnr(encoder, decoder, seed + 7777, 64):F2} dB)");
        }

        var parameters = decoderOnly ? decoder.parameters().ToList() : encoder.parameters().Concat(decoder.parameters()).ToList();
        var peakRate = decoderOnly ? DecoderLearningRate : LearningRate;
        var optimizer = optim.Adam(parameters, peakRate);
        var random = new Random((int)seed);
        var clock = Stopwatch.StartNew();
        var lastSave = clock.Elapsed;
        var runningMse = 0.0;
        var startStep = step;
        while (clock.Elapsed < budget && step - startStep < maxSteps)
        {
            using var scope = NewDisposeScope();
            // Cosine decay over the time budget: the run length is set in minutes, not steps.
            var progress = Math.Min(1.0, clock.Elapsed / budget);
            var lr = peakRate * (0.05 + (0.95 * 0.5 * (1 + Math.Cos(Math.PI * progress))));
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = lr;
            }

            var (images, _) = data.Next(BatchSize);
            var y = random.Next(0, (128 - Crop) / 8 + 1) * 8;
            var x = random.Next(0, (128 - Crop) / 8 + 1) * 8;
            var crop = images[.., .., y..(y + Crop), x..(x + Crop)];
            Tensor latent;
            using (decoderOnly ? no_grad() : null)
            {
                latent = encoder.forward(crop);
            }

            var output = decoder.forward(latent);
            var mse = nn.functional.mse_loss(output, crop);
            var loss = mse + (0.1 * nn.functional.l1_loss(output, crop));
            if (!decoderOnly)
            {
                loss = loss + (1e-4 * latent.square().mean());
            }

            optimizer.zero_grad();
            loss.backward();
            var gradNorm = nn.utils.clip_grad_norm_(parameters, 1.0);
            if (!double.IsFinite(gradNorm))
            {
                throw new NonFiniteTrainingException(
                    $"VAE training produced non-finite gradients (norm {gradNorm}, loss {loss.item<float>()}) at step {step + 1}; nothing was saved. " +
                    "The last checkpoint, if any, is still good.");
            }

            optimizer.step();
            step++;
            var mseValue = mse.item<float>();
            if (!float.IsFinite(mseValue) || !float.IsFinite(loss.item<float>()))
            {
                throw new NonFiniteTrainingException(
                    $"VAE training produced a non-finite loss at step {step} (MSE {mseValue}): the weights are now broken, so nothing was saved. " +
                    "The last checkpoint, if any, is still good.");
            }

            runningMse = step - startStep == 1 ? mseValue : (0.98 * runningMse) + (0.02 * mseValue);
            if (step % 50 == 0)
            {
                Console.WriteLine($"VAE step {step} mse {runningMse:F5} psnr~{Psnr(runningMse):F2} dB lr {lr:E2} {clock.Elapsed:mm\\:ss}");
            }

            if (clock.Elapsed - lastSave > CheckpointEvery)
            {
                Save(encoder, decoder, step, data.Position, Psnr(runningMse));
                lastSave = clock.Elapsed;
            }
        }

        var heldOut = HeldOutPsnr(encoder, decoder, seed + 7777, 64);
        if (!double.IsFinite(heldOut))
        {
            throw new NonFiniteTrainingException(
                $"VAE training ended (step {step}) with a non-finite held-out PSNR ({heldOut}): the networks give NaN or infinite images, so nothing was saved.");
        }

        Save(encoder, decoder, step, data.Position, heldOut);
        Console.WriteLine($"VAE: {step} steps, held-out PSNR {heldOut:F2} dB (64 full 128×128 images)");
        return (encoder, decoder);
    }

    private void Save(VaeEncoderNet encoder, VaeDecoderNet decoder, long step, long position, double psnr) =>
        Checkpoint.Save(cache, new Dictionary<string, nn.Module> { [ModelParts.VaeEncoder] = encoder, [ModelParts.VaeDecoder] = decoder },
            new State(step, position, psnr), StateFile);

    /// <summary>PSNR in dB on [0,1] pixels of full images from a generator seed the training never sees.</summary>
    public static double HeldOutPsnr(VaeEncoderNet encoder, VaeDecoderNet decoder, long heldOutSeed, int count)
    {
        TorchCpu.UseAtenConvolutions();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (images, _) = new SceneBatches(heldOutSeed).Next(count);
        var output = decoder.forward(encoder.forward(images)).clamp(-1, 1);
        // Pixels in [-1,1] span 2, so MSE on [0,1] is a quarter of it.
        var mse = nn.functional.mse_loss(output, images).item<float>() / 4;
        return 10 * Math.Log10(1 / mse);
    }

    private static double Psnr(double mseMinus1To1) => 10 * Math.Log10(4 / mseMinus1To1);
}

/// <summary>Training produced a NaN or infinite loss or score; thrown instead of saving broken weights.</summary>
internal sealed class NonFiniteTrainingException(string message) : InvalidOperationException(message);
