using WebStudio.Generation.Models;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Options;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.ModelManagement;

/// <summary>A job with a refiner holds both models: admission counts the refiner's weights beside the model's run,
/// so a base-then-refiner job that would not fit is refused at submission, not in the worker.</summary>
[Trait("Capability", "UserModels")]
public sealed class RefinerAdmissionTests
{
    private const int LimitMB = 1024;

    [Fact]
    public void A_refiner_too_heavy_for_the_limit_beside_the_model_is_refused_and_the_model_alone_fits()
    {
        using var folder = new TempFolder();
        var models = folder.Combine("models");
        TinyStableDiffusion.Write(Path.Combine(models, "xl-base"), TinyModelVariant.SdxlBase);
        TinyStableDiffusion.Write(Path.Combine(models, "xl-refiner"), TinyModelVariant.SdxlRefiner);
        TinyStableDiffusion.Write(Path.Combine(models, "xl-light-refiner"), TinyModelVariant.SdxlRefiner);

        // 1.5 GiB of external weights, sparse on disk: the refiner weighs more than the limit leaves.
        using (var weights = File.Create(Path.Combine(models, "xl-refiner", "unet", "weights.onnx_data")))
        {
            weights.SetLength(1536L * 1024 * 1024);
        }

        var admission = new JobMemoryAdmission(new GenerationOptions { JobMemoryLimitMB = LimitMB }, new ModelCatalog(models));
        var job = new JobSpec.Txt2Img { Prompt = "a cat", Model = "xl-base", Width = 64, Height = 64 };

        Assert.Null(admission.Check(new DiffusionRun(job, 64, 64)));
        Assert.Null(admission.Check(new DiffusionRun(job with { Refiner = "xl-light-refiner" }, 64, 64)));
        var refused = admission.Check(new DiffusionRun(job with { Refiner = "xl-refiner" }, 64, 64));

        Assert.NotNull(refused);
        Assert.StartsWith("this job needs about 1.5 GiB of memory, its refiner's weights included, but the limit on this server is 1 GiB", refused.Message);
    }
}
