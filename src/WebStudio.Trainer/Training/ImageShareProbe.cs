using WebStudio.Trainer.Data;
using WebStudio.Trainer.Models;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Training;

/// <summary>
/// How much an edit UNet's prediction depends on the input image: |ε(image) − ε(zero image)| / |ε(image)| on a fixed
/// set of triples at timesteps spread over the schedule, with fixed noise. It is zero at step 0 (the image's conv_in
/// weights start at zero), and an edit model that keeps what the instruction does not name needs it well above zero:
/// the loss alone does not show it, because a model that redraws the scene from the instruction fits most of it.
/// gpu/train_unet.py's <c>image_share</c> measures the same.
/// </summary>
internal sealed class ImageShareProbe(Tensor outputs, Tensor images, Tensor ids, Tensor timesteps, Tensor noise)
{
    public static ImageShareProbe From(EditLatentDataset data, Tensor ids, int count)
    {
        var index = arange(count, dtype: ScalarType.Int64);
        var outputs = data.Outputs.index_select(0, index);
        var noise = randn(outputs.shape, generator: new Generator(17));
        var timesteps = linspace(0, NoiseSchedule.TrainSteps - 1, count).to(ScalarType.Int64);
        return new ImageShareProbe(outputs, data.Inputs.index_select(0, index), ids.index_select(0, index), timesteps, noise);
    }

    public double Measure(TextEncoderNet text, UNetNet unet, Tensor alphasCumprod)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var abar = alphasCumprod.index_select(0, timesteps).view(-1, 1, 1, 1);
        var noisy = (abar.sqrt() * outputs) + ((1 - abar).sqrt() * noise);
        var context = text.forward(ids);
        var withImage = unet.forward(cat([noisy, images], 1), timesteps, context);
        var without = unet.forward(cat([noisy, zeros_like(images)], 1), timesteps, context);
        return (withImage - without).norm().item<float>() / withImage.norm().item<float>();
    }
}
