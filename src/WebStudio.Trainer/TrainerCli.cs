using System.CommandLine;

namespace WebStudio.Trainer;

/// <summary>The command line (System.CommandLine): `all` regenerates the model from scratch; the others run one
/// stage. Every command takes every option; `--help` lists them.</summary>
internal static class TrainerCli
{
    /// <summary>Exit code for a command line that does not parse, as the trainer has always used.</summary>
    public const int BadUsage = 2;

    private static readonly (string Name, string Description, Action<Stages> Run)[] Commands =
    [
        ("all", "tokenizer, train-vae, encode, train-unet, export, evaluate", s => s.All()),
        ("tokenizer", "write tokenizer/ (vocab.json, merges.txt, configs) from the caption vocabulary", s => s.WriteTokenizer()),
        ("train-vae", "train the autoencoder, print held-out PSNR", s => s.TrainVae()),
        ("encode", "encode training images to scaled latents with the trained VAE", s => s.EncodeLatents()),
        ("train-unet", "train text encoder + UNet on the latents (EMA kept for export)", s => s.TrainUNet()),
        ("import", "read an exported folder (--from) back into checkpoints in --cache, to train on from it", s => s.Import()),
        ("gpu-pack", "write --pack: latents, token ids, categories and EMA checkpoints for gpu/train_unet.py", s => s.GpuPack()),
        ("gpu-pack-edit", "write --pack: the edit triples, instructions' token ids, edit kinds and edit EMA checkpoints for gpu/train_unet.py", s => s.GpuPackEdit()),
        ("encode-edit", "encode --samples edit triples (training split) with --from's VAE encoder for train-edit", s => s.EncodeEdits()),
        ("train-edit", "train the instruction-edit model (8-channel UNet + text encoder) from --from on the edit latents", s => s.TrainEdit()),
        ("import-edit", "read the edit folder (default models/webstudio-edit) back into edit checkpoints in --cache, for train-edit --resume", s => s.ImportEdit()),
        ("export-edit", "write the InstructPix2Pix ONNX folder (default models/webstudio-edit) from the edit checkpoints (EMA weights)", s => s.ExportEdit()),
        ("evaluate-edit", "run ShapesWorld's EditSuite through the app's pipeline on the edit folder, print scores and speed", s => s.EvaluateEdit()),
        ("export", "write the SD ONNX folder from the latest checkpoints (EMA weights)", s => s.Export()),
        ("evaluate", "sample the exported folder on ShapesWorld's EvalSuite, print scores and speed", s => s.Evaluate()),
        ("bench", "time the exported UNet at batch 2 in ONNX Runtime", s => s.Benchmark()),
        ("check", "load TorchSharp and run one tiny forward pass", s => s.Check()),
    ];

    public static Task<int> RunAsync(string[] args) => Task.FromResult(Run(args, RunStage, Console.Out, Console.Error));

    /// <summary>Parses <paramref name="args"/> and hands the command's name and options to <paramref name="run"/>;
    /// a bad command line prints its errors and the usage hint and gives <see cref="BadUsage"/>.</summary>
    public static int Run(string[] args, Action<string, TrainerOptions> run, TextWriter output, TextWriter error)
    {
        var symbols = new TrainerOptionSymbols();
        var root = Build(symbols, run);
        var result = root.Parse(args);
        // The stage's own exceptions go through unchanged, as before; only parse errors are caught here.
        var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (result.Errors.Count > 0 && result.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var parseError in result.Errors)
            {
                error.WriteLine(parseError.Message);
            }

            error.WriteLine("Run 'WebStudio.Trainer --help' for the commands and options.");
            return BadUsage;
        }

        return result.Invoke(invocation);
    }

    private static RootCommand Build(TrainerOptionSymbols symbols, Action<string, TrainerOptions> run)
    {
        var root = new RootCommand("Trains WebStudio's built-in model (models/webstudio-shapes) on ShapesWorld scenes and exports it as an SD ONNX folder.");
        foreach (var option in symbols.All)
        {
            root.Add(option);
        }

        foreach (var (name, description, _) in Commands)
        {
            var command = new Command(name, description);
            command.SetAction(result =>
            {
                run(name, symbols.Read(result));
                return 0;
            });
            root.Add(command);
        }

        return root;
    }

    private static void RunStage(string name, TrainerOptions options)
    {
        TorchSharp.torch.set_num_threads(options.Threads);
        Training.TorchCpu.UseAtenConvolutions();
        Commands.Single(c => c.Name == name).Run(new Stages(options));
    }
}
