using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;

namespace WebStudio.Studio.Engine;

/// <summary>A model the studio offers.</summary>
public sealed record EngineModel(string Name, int NativeWidth, int NativeHeight)
{
    /// <summary>What the sides of the images it makes must be a multiple of: the VAE's scale times the UNet's
    /// downsampling, read from the model's folder (see <see cref="ModelSizes"/>).</summary>
    public int SizeMultiple { get; init; } = GenerationRequest.SizeMultiple;

    /// <summary>An InstructPix2Pix-format model: it changes an input image as an instruction says, and makes no
    /// image from text alone (issue 22).</summary>
    public bool EditsByInstruction { get; init; }

    /// <summary>The model's family: Stable Diffusion 1.x/2.x or SDXL (issue 21).</summary>
    public ModelFamily Family { get; init; }
}

/// <summary>How long a prompt is for a model's tokenizer, the way A1111 counts it: <see cref="Tokens"/> text tokens
/// in windows of 75, <see cref="Capacity"/> being the windows' room (75, 150, ...). <see cref="Truncated"/>: more
/// text than the model may take, whose tail is ignored.</summary>
public sealed record PromptLength(int Tokens, int Capacity, bool Truncated);

/// <summary>One refused field, in words a user understands.</summary>
public sealed record FieldProblem(string Field, string Message);

/// <summary>A small RGB24 picture of the denoising so far (latent resolution).</summary>
public sealed record PreviewPixels(byte[] Rgb, int Width, int Height);

/// <summary>One finished denoising step. <see cref="Preview"/> is computed only when called.</summary>
public sealed record EngineStep(int Step, int TotalSteps, Func<PreviewPixels> Preview);

/// <summary>A finished image (owned by the caller) and its seed.</summary>
public sealed record EngineImage(Image<Rgb24> Image, long Seed) : IDisposable
{
    public void Dispose() => Image.Dispose();
}

/// <summary>
/// What the studio needs from the generation core's diffusion pipeline. The queue and its executors run diffusion
/// only through this, so they can be tested with a scripted engine and the core can change behind it.
/// </summary>
public interface IGenerationEngine
{
    /// <summary>"CUDA" or "CPU" (with the reason), for the start-up log.</summary>
    string DescribeExecutionProvider();

    /// <summary>Independent execution devices (the default worker count).</summary>
    int DeviceCount { get; }

    IReadOnlyList<EngineModel> Models();

    /// <summary>The models loaded now (the worker registry shows them); none unless the engine keeps models loaded.</summary>
    IReadOnlyList<string> LoadedModels() => [];

    /// <summary>How long <paramref name="model"/> took to load, while it is loaded; null when it is not (or the engine
    /// keeps no models loaded).</summary>
    TimeSpan? LoadTimeOf(string model) => null;

    IReadOnlyList<string> Schedulers { get; }

    IReadOnlyList<FieldProblem> Validate(DiffusionRun run);

    /// <summary>The prompt's length in <paramref name="model"/>'s tokens (with prompt editing, its longest text over
    /// <paramref name="steps"/> steps, as A1111 counts), or null when the model or its tokenizer cannot be read (the
    /// form then shows no count).</summary>
    PromptLength? MeasurePrompt(string model, string prompt, int steps);

    /// <summary>
    /// Runs a job. <paramref name="onStep"/> is called after every step on the generation thread; returning false
    /// (or cancelling the token) stops the run within one step with <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<IReadOnlyList<EngineImage>> RunAsync(DiffusionRun run, Func<EngineStep, bool> onStep, CancellationToken cancellationToken);
}
