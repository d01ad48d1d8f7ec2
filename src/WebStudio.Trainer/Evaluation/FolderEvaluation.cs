using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Models;
using WebStudio.Generation.Models.Diffusers;
using WebStudio.Generation.Pipelines;
using WebStudio.Generation.Schedulers;
using WebStudio.ShapesWorld;
using WebStudio.ShapesWorld.Evaluation;
using WebStudio.Trainer.Tokenizer;
using PipelineTensors = WebStudio.Generation.Tensors.ImageTensors;

namespace WebStudio.Trainer.Evaluation;

/// <summary>Scores an exported folder on ShapesWorld's EvalSuite (20 steps, guidance 7), generating with the
/// app's own StableDiffusionPipeline (or, with --sampler onnx, the trainer's DDIM loop), and times it.</summary>
internal sealed class FolderEvaluation(string folder, int threads)
{
    public const int Steps = 20;
    public const float Guidance = 7f;
    public const int ImageSize = 128;

    /// <summary>Scores <paramref name="count"/> prompts of a suite ("v1", "words" or "seen-words"); with <paramref name="imagesDir"/> also
    /// saves each image as {id}.png.</summary>
    public void Run(int count, string suiteName, string sampler, string scheduler, string? imagesDir)
    {
        var suite = suiteName switch
        {
            "words" => EvalSuite.Words.Prefix(count),
            "seen-words" => EvalSuite.SeenWords.Prefix(count),
            _ => count <= 0 ? EvalSuite.Default : EvalSuite.Small(count),
        };
        var clock = new Stopwatch();
        EvaluationReport report;
        if (sampler == "vae")
        {
            using var model = LoadModel();
            var encoder = model.VaeEncoder ?? throw new InvalidOperationException($"'{folder}' has no vae_encoder to score.");
            report = suite.Evaluate(prompt =>
            {
                using var truth = prompt.RenderGroundTruth();
                return Saved(imagesDir, prompt, Timed(clock, () =>
                    PipelineTensors.ToImage(model.VaeDecoder.Decode(encoder.Encode(PipelineTensors.FromImage(truth), null, null), null))));
            });
        }
        else if (sampler == "onnx")
        {
            using var onnx = CreateSampler();
            report = suite.Evaluate(prompt => Saved(imagesDir, prompt, Timed(clock, () =>
                ImageTensors.FromChwMinus1To1(onnx.Generate(prompt.Prompt, prompt.Seed, Steps, Guidance), ImageSize, ImageSize))));
        }
        else
        {
            using var model = LoadModel();
            var pipeline = new StableDiffusionPipeline(model);
            report = suite.Evaluate(prompt => Saved(imagesDir, prompt, Timed(clock, () => Generate(pipeline, prompt, scheduler))));
        }

        if (imagesDir is not null)
        {
            // Why each image passed or failed, beside the images, for reading failures by eye.
            File.WriteAllLines(Path.Combine(imagesDir, "outcomes.txt"), report.Results.Select(r =>
                $"{r.Prompt.Id}\t{(r.Outcome.Correct ? "pass" : "FAIL")}\t{r.Prompt.Prompt}\t{r.Outcome.Reason}"));
        }

        Console.WriteLine(report.ToTable());
        var how = sampler switch { "onnx" => "trainer DDIM", "vae" => "ground truth through the VAE", _ => $"app pipeline, {scheduler}" };
        Console.WriteLine($"sampler {how}: overall {report.Overall:F3}, " +
            $"without letters {report.OverallWithoutLetters:F3} ({suite.Prompts.Count} prompts, EvalSuite {suite.Name})");
        var work = sampler == "vae" ? "encode and decode" : $"{Steps} steps, guidance {Guidance}";
        Console.WriteLine($"time per image ({work}, {threads} threads): {clock.Elapsed.TotalMilliseconds / suite.Prompts.Count:F0} ms");
    }

    /// <summary>The folder as the app loads it, on CPU with this evaluation's threads.</summary>
    private StableDiffusionModel LoadModel() => StableDiffusionModel.Load(folder, new ModelLoadOptions { UseCuda = false, IntraOpThreads = threads });

    private static Image<Rgb24> Generate(StableDiffusionPipeline pipeline, EvalPrompt prompt, string scheduler)
    {
        var request = new GenerationRequest
        {
            Prompt = prompt.Prompt,
            Seed = prompt.Seed,
            Steps = Steps,
            Guidance = Guidance,
            Width = ImageSize,
            Height = ImageSize,
            Scheduler = scheduler,
        };
        using var result = pipeline.RunAsync(request).GetAwaiter().GetResult();
        return result.Images[0].Image.Clone();
    }

    private static Image<Rgb24> Saved(string? imagesDir, EvalPrompt prompt, Image<Rgb24> image)
    {
        if (imagesDir is not null)
        {
            Directory.CreateDirectory(imagesDir);
            image.SaveAsPng(Path.Combine(imagesDir, $"{prompt.Id}.png"));
            File.AppendAllText(Path.Combine(imagesDir, "prompts.txt"), $"{prompt.Id}\t{prompt.Prompt}\n");
        }

        return image;
    }

    private static Image<Rgb24> Timed(Stopwatch clock, Func<Image<Rgb24>> generate)
    {
        clock.Start();
        try
        {
            return generate();
        }
        finally
        {
            clock.Stop();
        }
    }

    public void BenchmarkUNet()
    {
        using var sampler = CreateSampler();
        var context = sampler.Encode(["", "a red circle"]);
        var batch = new float[2 * 4 * 16 * 16];
        sampler.RunUNet(batch, [500, 500], context, 16);
        var clock = Stopwatch.StartNew();
        const int calls = 40;
        for (var i = 0; i < calls; i++)
        {
            sampler.RunUNet(batch, [500, 500], context, 16);
        }

        Console.WriteLine($"UNet batch 2: {clock.Elapsed.TotalMilliseconds / calls:F1} ms per call ({threads} threads)");
    }

    private OnnxFolderSampler CreateSampler()
    {
        var tokenizer = ShapesTokenizer.ForCaptionGrammar();
        var configPath = Path.Combine(folder, ModelParts.VaeDecoder, "config.json");
        if (!File.Exists(configPath))
        {
            throw new FileNotFoundException($"'{configPath}' is missing: run 'export' first.", configPath);
        }

        var scaling = DiffusersJson.Parse<VaeConfigFile>(File.ReadAllText(configPath)).ScalingFactor
            ?? throw new InvalidDataException($"'{configPath}' has no scaling_factor.");
        return new OnnxFolderSampler(folder, tokenizer, scaling, threads);
    }
}
