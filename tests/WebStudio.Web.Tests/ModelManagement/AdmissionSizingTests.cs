using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Jobs;
using WebStudio.Studio.Options;
using WebStudio.Testing.TinyModels;
using WebStudio.Web.Tests.Infrastructure;

namespace WebStudio.Web.Tests.ModelManagement;

/// <summary>Admission sizes a job as it will run: a job with a refiner holds both models, so the refiner's weights
/// count beside the model's run; on the CPU a float16 model's weights are held again as float32. A job that would not
/// fit is refused at submission, not killed in the worker.</summary>
[Trait("Capability", "UserModels")]
public sealed class AdmissionSizingTests
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

        AddWeights(Path.Combine(models, "xl-refiner"), 1536); // the refiner weighs more than the limit leaves

        var admission = new JobMemoryAdmission(new GenerationOptions { JobMemoryLimitMB = LimitMB }, new ModelCatalog(models));
        var job = new JobSpec.Txt2Img { Prompt = "a cat", Model = "xl-base", Width = 64, Height = 64 };

        Assert.Null(admission.Check(new DiffusionRun(job, 64, 64)));
        Assert.Null(admission.Check(new DiffusionRun(job with { Refiner = "xl-light-refiner" }, 64, 64)));
        var refused = admission.Check(new DiffusionRun(job with { Refiner = "xl-refiner" }, 64, 64));

        Assert.NotNull(refused);
        Assert.StartsWith("this job needs about 1.5 GiB of memory, its refiner's weights included, but the limit on this server is 1 GiB", refused.Message);
    }

    [Fact]
    public void Estimates_are_for_the_cpu_without_cuda_unless_a_limit_is_set_for_the_workers_devices()
    {
        Assert.True(new GenerationOptions { UseCuda = false }.EstimatesForCpu());
        Assert.True(new GenerationOptions { UseCuda = false, JobMemoryLimitMB = LimitMB }.EstimatesForCpu());
        Assert.False(new GenerationOptions { JobMemoryLimitMB = LimitMB }.EstimatesForCpu()); // a web node before GPU workers
        Assert.Equal(ExecutionProviders.CheckCuda(0) is not null, new GenerationOptions().EstimatesForCpu());
    }

    [Fact]
    public void Where_cuda_is_configured_but_cannot_run_the_limit_is_the_machines_memory_not_the_gpu_budget()
    {
        using var folder = new TempFolder();
        var models = folder.Combine("models");
        TinyStableDiffusion.Write(Path.Combine(models, "tiny"), TinyModelVariant.DiffusersScript);
        var job = new DiffusionRun(new JobSpec.Txt2Img { Prompt = "a cat", Model = "tiny", Width = 512, Height = 512 }, 512, 512);

        // A GPU budget of 1 MiB, which no job fits, and the default UseCuda: on.
        var refused = new JobMemoryAdmission(new GenerationOptions { ModelMemoryBudgetMB = 1 }, new ModelCatalog(models)).Check(job);

        if (ExecutionProviders.CheckCuda(0) is null)
        {
            Assert.NotNull(refused); // the job would run on the GPU, within its budget
            return;
        }

        // Here the job runs on the CPU, so the machine's memory is the limit, as for UseCuda off.
        Assert.Null(refused);
        Assert.Null(new JobMemoryAdmission(new GenerationOptions { UseCuda = false, ModelMemoryBudgetMB = 1 }, new ModelCatalog(models)).Check(job));
    }

    [Fact]
    public void On_the_cpu_a_float16_model_is_admitted_at_about_two_and_a_half_times_its_file_size()
    {
        using var folder = new TempFolder();
        var models = folder.Combine("models");
        TinyStableDiffusion.Write(Path.Combine(models, "half"), TinyModelVariant.Half);
        AddWeights(Path.Combine(models, "half"), 768); // about 1.9 GiB as the CPU holds it

        var job = new DiffusionRun(new JobSpec.Txt2Img { Prompt = "a cat", Model = "half", Width = 64, Height = 64 }, 64, 64);
        var refused = new JobMemoryAdmission(new GenerationOptions { UseCuda = false, JobMemoryLimitMB = LimitMB }, new ModelCatalog(models)).Check(job);

        Assert.NotNull(refused);
        Assert.StartsWith("this job needs about 1.9 GiB of memory, but the limit on this server is 1 GiB", refused.Message);
        // Its weights are what does not fit: tiles would not help, and the refusal does not suggest them.
        Assert.DoesNotContain("VaeTileSize", refused.Message);
        Assert.Null(new JobMemoryAdmission(new GenerationOptions { UseCuda = false, JobMemoryLimitMB = 2 * LimitMB }, new ModelCatalog(models)).Check(job));
    }

    [Fact]
    public void A_large_image_refused_for_its_whole_vae_decode_is_told_that_tiles_would_fit_it_and_is_admitted_when_the_studio_decodes_in_tiles()
    {
        using var folder = new TempFolder();
        var models = folder.Combine("models");
        TinyStableDiffusion.Write(Path.Combine(models, "tiny"), TinyModelVariant.DiffusersScript);
        var shapes = ModelShapes.Read(Path.Combine(models, "tiny"));
        var (whole, tiled) = (MemoryEstimate.Of(shapes, 1024, 1024, 1, 7.5f), MemoryEstimate.Of(shapes.As(onCpu: false, vaeTileSize: 256), 1024, 1024, 1, 7.5f));
        Assert.True(tiled.Total < whole.Total, $"tiled {tiled.Total:N0} against whole {whole.Total:N0}: the VAE's mid-block attention over 128² latents sets the peak");
        var limitMB = (int)((tiled.Total + whole.Total) / 2 / (1024 * 1024));
        var job = new DiffusionRun(new JobSpec.Txt2Img { Prompt = "a cat", Model = "tiny", Width = 1024, Height = 1024 }, 1024, 1024);

        var refused = new JobMemoryAdmission(new GenerationOptions { UseCuda = false, JobMemoryLimitMB = limitMB }, new ModelCatalog(models)).Check(job);
        var admitted = new JobMemoryAdmission(new GenerationOptions { UseCuda = false, JobMemoryLimitMB = limitMB, VaeTileSize = 256 }, new ModelCatalog(models)).Check(job);

        Assert.NotNull(refused);
        Assert.Contains("the largest size that fits is", refused.Message);
        Assert.Contains($"it would fit with the VAE run in tiles (an administrator's setting: Generation:VaeTileSize, e.g. {JobMemoryAdmission.SuggestedVaeTileSize})", refused.Message);
        Assert.Null(admitted);
    }

    /// <summary>Adds <paramref name="mebibytes"/> of external weights to the model's UNet, sparse on disk (nothing is
    /// written): the estimate counts the files' sizes.</summary>
    private static void AddWeights(string model, long mebibytes)
    {
        using var weights = File.Create(Path.Combine(model, "unet", "weights.onnx_data"));
        weights.SetLength(mebibytes * 1024 * 1024);
    }
}
