namespace WebStudio.Trainer.Training;

/// <summary>What the `import` stage left in the cache: the folder it read and that folder's latent scaling factor,
/// which later encodes must keep (its UNet learned latents of that scale).</summary>
internal sealed record ImportedModel(string From, float ScalingFactor)
{
    public const string StateFile = "imported.json";

    public static ImportedModel? Read(string cache) => Checkpoint.ReadState<ImportedModel>(cache, StateFile);

    public static void Forget(string cache) => File.Delete(Path.Combine(cache, StateFile));
}
