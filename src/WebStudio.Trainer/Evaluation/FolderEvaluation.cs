using System.Diagnostics;
using System.Text.Json;
using WebStudio.ShapesWorld;
using WebStudio.ShapesWorld.Captions;
using WebStudio.ShapesWorld.Evaluation;
using WebStudio.Trainer.Tokenizer;

namespace WebStudio.Trainer.Evaluation;

/// <summary>Scores an exported folder on ShapesWorld's EvalSuite (20 DDIM steps, guidance 7) and times it.</summary>
internal sealed class FolderEvaluation(string folder, int threads)
{
    public const int Steps = 20;
    public const float Guidance = 7f;

    public void Run(int count, long seed)
    {
        using var sampler = CreateSampler();
        var suite = count <= 0 ? EvalSuite.Default : EvalSuite.Small(count);
        var clock = new Stopwatch();
        var report = suite.Evaluate(prompt =>
        {
            clock.Start();
            var pixels = sampler.Generate(prompt.Prompt, prompt.Seed, Steps, Guidance);
            clock.Stop();
            return ImageTensors.FromChwMinus1To1(pixels, 128, 128);
        });
        Console.WriteLine(report.ToTable());
        Console.WriteLine($"overall {report.Overall:F3}, without letters {report.OverallWithoutLetters:F3} ({suite.Prompts.Count} prompts)");
        Console.WriteLine($"time per image ({Steps} steps, CFG batch 2, {threads} threads): {clock.Elapsed.TotalMilliseconds / suite.Prompts.Count:F0} ms");
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
        var tokenizer = new ShapesTokenizer(ShapesTokenizerFiles.Build(CaptionGrammar.Vocabulary));
        var configPath = Path.Combine(folder, "vae_decoder", "config.json");
        if (!File.Exists(configPath))
        {
            throw new FileNotFoundException($"'{configPath}' is missing: run 'export' first.", configPath);
        }

        var scaling = JsonDocument.Parse(File.ReadAllText(configPath)).RootElement.GetProperty("scaling_factor").GetSingle();
        return new OnnxFolderSampler(folder, tokenizer, scaling, threads);
    }
}
