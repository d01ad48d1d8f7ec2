using System.CommandLine;
using WebStudio.Trainer.Models;

namespace WebStudio.Trainer;

/// <summary>Command-line options shared by every stage.</summary>
internal sealed record TrainerOptions
{
    public string Out { get; init; } = "models/webstudio-shapes";

    /// <summary>The folder the *-edit commands write and evaluate: --out when given.</summary>
    public string EditOut { get; init; } = "models/webstudio-edit";

    public string Cache { get; init; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "webstudio", "trainer");

    public ArchitectureConfig Config { get; init; } = ArchitectureConfig.Full;

    public double VaeMinutes { get; init; } = 12;

    public long VaeSteps { get; init; } = long.MaxValue;

    public double UNetMinutes { get; init; } = 60;

    public long UNetSteps { get; init; } = long.MaxValue;

    public double CooldownMinutes { get; init; }

    public double LearningRate { get; init; } = Training.UNetTrainer.DefaultLearningRate;

    public string? From { get; init; }

    /// <summary>The base model the *-edit commands start from (its VAE, tokenizer, text encoder and UNet): --from when given.</summary>
    public string EditFrom => From ?? "models/webstudio-shapes";

    public double EditMinutes { get; init; } = 50;

    public long EditSteps { get; init; } = long.MaxValue;

    public string? Pack { get; init; }

    public IReadOnlyDictionary<WebStudio.ShapesWorld.Category, double>? CategoryWeights { get; init; }

    /// <summary>train-edit's draw weights per edit kind (<see cref="Training.EditTrainer.Train"/>); null: as stored.</summary>
    public IReadOnlyDictionary<WebStudio.ShapesWorld.Editing.EditKind, double>? EditKindWeights { get; init; }

    /// <summary>Weight of the placement probe loss (<see cref="Training.PlacementTargets"/>); 0 leaves it off.</summary>
    public double PlacementAux { get; init; }

    /// <summary>Weight of the spelling probe's loss on a written word's token states (<see cref="Training.SpellingTargets"/>); 0 = off.</summary>
    public double SpellingAux { get; init; }

    /// <summary>Up to this many times the loss weight at the noisiest timesteps; 1 leaves it off.</summary>
    public double LayoutWeight { get; init; } = 1;

    /// <summary>The share of edit samples with no instruction whose target is the input scene (<see cref="Training.EditTrainer.Train"/>); 0 = off.</summary>
    public double EditIdentity { get; init; }

    /// <summary>evaluate-edit's text guidance (default <see cref="WebStudio.Generation.Pipelines.InstructionEdit.DefaultTextGuidance"/>).</summary>
    public float TextGuidance { get; init; } = WebStudio.Generation.Pipelines.InstructionEdit.DefaultTextGuidance;

    /// <summary>evaluate-edit's image guidance (default <see cref="WebStudio.Generation.Pipelines.InstructionEdit.DefaultImageGuidance"/>).</summary>
    public float ImageGuidance { get; init; } = WebStudio.Generation.Pipelines.InstructionEdit.DefaultImageGuidance;

    /// <summary>evaluate-edit's automatic-mask threshold (<see cref="WebStudio.Generation.Pipelines.InstructionEdit.AutoMaskThreshold"/>); null = off.</summary>
    public float? AutoMask { get; init; }

    public int Samples { get; init; } = 20000;

    public int Batch { get; init; } = 32;

    public int EvalCount { get; init; } = 140;

    public string Sampler { get; init; } = "app";

    /// <summary>"v1" (EvalSuite.Default), "words" (EvalSuite.Words) or "seen-words" (EvalSuite.SeenWords).</summary>
    public string Suite { get; init; } = "v1";

    /// <summary>evaluate-edit's suite: "v1" (EditSuite.Default) or "tune" (EditSuite.Tuning).</summary>
    public string EditSuite { get; init; } = "v1";

    public string? ImagesDir { get; init; }

    public string Scheduler { get; init; } = "DDIM";

    public int Threads { get; init; } = 2;

    public bool Resume { get; init; }

    public bool DecoderOnly { get; init; }

    public long Seed { get; init; } = 1234;

    /// <summary>Reads options alone (no command), as every command takes them; a bad one throws
    /// <see cref="ArgumentException"/> with System.CommandLine's messages.</summary>
    public static TrainerOptions Parse(string[] args)
    {
        var symbols = new TrainerOptionSymbols();
        var command = new RootCommand();
        foreach (var option in symbols.All)
        {
            command.Add(option);
        }

        var result = command.Parse(args);
        return result.Errors.Count == 0
            ? symbols.Read(result)
            : throw new ArgumentException(string.Join(Environment.NewLine, result.Errors.Select(e => e.Message)));
    }
}
