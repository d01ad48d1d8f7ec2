using System.Text.Json;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Training;

/// <summary>Saves modules atomically (write to .tmp, then rename), so a run killed mid-save keeps the last good checkpoint.</summary>
internal static class Checkpoint
{
    public static void Save(string folder, IReadOnlyDictionary<string, nn.Module> modules, object state, string stateFile)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, module) in modules)
        {
            var path = Path.Combine(folder, name + ".dat");
            module.save(path + ".tmp");
            File.Move(path + ".tmp", path, overwrite: true);
        }

        var statePath = Path.Combine(folder, stateFile);
        File.WriteAllText(statePath + ".tmp", JsonSerializer.Serialize(state));
        File.Move(statePath + ".tmp", statePath, overwrite: true);
    }

    public static void Load(string folder, string name, nn.Module module)
    {
        var path = Path.Combine(folder, name + ".dat");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Checkpoint '{path}' is missing: run the training stage that writes it first.", path);
        }

        // Loaded leniently, then checked: a checkpoint of another architecture is refused naming what it lacks, rather
        // than with TorchSharp's strict-load error or as a half-loaded network.
        const string advice = "it was written for another architecture. Use --config to pick the one it was trained with, or another --cache.";
        var loaded = new Dictionary<string, bool>();
        try
        {
            module.load(path, strict: false, loadedParameters: loaded);
        }
        catch (ArgumentException ex)
        {
            // TorchSharp's answer to a tensor of the same name and another shape.
            throw new InvalidDataException($"Checkpoint '{path}' does not match the network ({ex.Message}): {advice}", ex);
        }

        var missing = module.state_dict().Keys.Where(k => !loaded.GetValueOrDefault(k)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException(
                $"Checkpoint '{path}' does not match the network ({missing.Count} tensors missing, such as {string.Join(", ", missing.Take(5))}): {advice}");
        }
    }

    public static T? ReadState<T>(string folder, string stateFile)
    {
        var path = Path.Combine(folder, stateFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path)) : default;
    }
}
