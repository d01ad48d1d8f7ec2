using WebStudio.Trainer;

return await TrainerCli.RunAsync(args);
