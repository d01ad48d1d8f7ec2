namespace WebStudio.Trainer;

/// <summary>Command dispatch: `all` regenerates the model from scratch; the others run one stage.</summary>
internal static class TrainerCli
{
    public static Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(TrainerOptions.Usage);
            return Task.FromResult(args.Length == 0 ? 1 : 0);
        }

        TrainerOptions options;
        try
        {
            options = TrainerOptions.Parse(args.Skip(1).ToArray());
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(TrainerOptions.Usage);
            return Task.FromResult(2);
        }

        TorchSharp.torch.set_num_threads(options.Threads);
        Training.TorchCpu.UseAtenConvolutions();
        var stages = new Stages(options);
        switch (args[0])
        {
            case "check": stages.Check(); break;
            case "tokenizer": stages.WriteTokenizer(); break;
            case "train-vae": stages.TrainVae(); break;
            case "encode": stages.EncodeLatents(); break;
            case "train-unet": stages.TrainUNet(); break;
            case "import": stages.Import(); break;
            case "gpu-pack": stages.GpuPack(); break;
            case "export": stages.Export(); break;
            case "evaluate": stages.Evaluate(); break;
            case "bench": stages.Benchmark(); break;
            case "all": stages.All(); break;
            default:
                Console.Error.WriteLine($"Unknown command '{args[0]}'.");
                Console.Error.WriteLine(TrainerOptions.Usage);
                return Task.FromResult(2);
        }

        return Task.FromResult(0);
    }
}
