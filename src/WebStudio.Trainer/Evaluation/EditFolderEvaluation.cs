using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using WebStudio.Generation.Models;
using WebStudio.Generation.Pipelines;
using WebStudio.ShapesWorld.Evaluation;

namespace WebStudio.Trainer.Evaluation;

/// <summary>Scores an exported InstructPix2Pix folder on ShapesWorld's EditSuite with the app's own pipeline
/// (20 steps, and the edit settings given: text guidance, image guidance and automatic mask), and times the edits.</summary>
internal sealed class EditFolderEvaluation(string folder, int threads, InstructionEdit settings)
{
    /// <summary>Scores <paramref name="count"/> suite cases (0: all); with <paramref name="imagesDir"/> also saves each
    /// result as {id}.png beside outcomes.txt.</summary>
    public EditReport Run(int count, string scheduler, string? imagesDir, bool tuning = false)
    {
        var suite = tuning ? EditSuite.Tuning : count <= 0 ? EditSuite.Default : EditSuite.Small(count);
        using var model = StableDiffusionModel.Load(folder, new ModelLoadOptions { UseCuda = false, IntraOpThreads = threads });
        if (!model.EditsByInstruction)
        {
            throw new InvalidOperationException($"'{folder}' is not an instruction-edit model: run 'export-edit' first, or point --out at one.");
        }

        var pipeline = new StableDiffusionPipeline(model);
        var clock = new Stopwatch();
        var report = suite.Evaluate(edit =>
        {
            clock.Start();
            var image = Edit(pipeline, edit, scheduler, settings);
            clock.Stop();
            if (imagesDir is not null)
            {
                Directory.CreateDirectory(imagesDir);
                image.SaveAsPng(Path.Combine(imagesDir, $"{edit.Id}.png"));
            }

            return image;
        });
        if (imagesDir is not null)
        {
            File.WriteAllLines(Path.Combine(imagesDir, "outcomes.txt"), report.Results.Select(r =>
                $"{r.Case.Id}\t{(r.Outcome.Success ? "done" : "MISSED")}\t{(r.Outcome.Preserved ? "kept" : "CHANGED")}\t{r.Case.Instruction}\t{r.Outcome.Reason}"));
        }

        Console.WriteLine(report.ToTable());
        var autoMask = settings.AutoMaskThreshold is { } threshold ? $", automatic mask {threshold}" : "";
        Console.WriteLine($"app pipeline, {scheduler}, {FolderEvaluation.Steps} steps, guidance {settings.TextGuidance}/{settings.ImageGuidance}{autoMask}: " +
            $"success {report.Success:F3}, preservation {report.Preservation:F3} ({suite.Cases.Count} cases, EditSuite {(tuning ? EditSuite.TuningVersion : EditSuite.Version)})");
        Console.WriteLine($"time per edit ({threads} threads): {clock.Elapsed.TotalMilliseconds / suite.Cases.Count:F0} ms");
        return report;
    }

    /// <summary>One suite case through the pipeline; <paramref name="settings"/> null: diffusers' defaults.</summary>
    public static Image<Rgb24> Edit(
        StableDiffusionPipeline pipeline, EditCase edit, string scheduler, InstructionEdit? settings = null, int steps = FolderEvaluation.Steps)
    {
        using var input = edit.RenderInput();
        var request = new GenerationRequest
        {
            Prompt = edit.Instruction,
            Seed = edit.Seed,
            Steps = steps,
            Width = FolderEvaluation.ImageSize,
            Height = FolderEvaluation.ImageSize,
            Scheduler = scheduler,
            InitImage = input,
            InstructionEdit = settings ?? new InstructionEdit(),
        };
        using var result = pipeline.RunAsync(request).GetAwaiter().GetResult();
        return result.Images[0].Image.Clone();
    }
}
