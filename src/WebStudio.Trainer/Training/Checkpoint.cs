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

        // A checkpoint from before a zero-initialised addition (the UNet's position projections) loads without it;
        // anything else missing is a different architecture and an error.
        var loaded = new Dictionary<string, bool>();
        module.load(path, strict: false, loadedParameters: loaded);
        var missing = module.state_dict().Keys.Where(k => !loaded.GetValueOrDefault(k)).ToList();
        if (missing.Any(k => !k.Contains(".Position.", StringComparison.Ordinal)))
        {
            throw new InvalidDataException($"Checkpoint '{path}' does not match the network: it lacks {string.Join(", ", missing.Take(5))}.");
        }

        if (missing.Count > 0)
        {
            Console.WriteLine($"{name}: {missing.Count} new zero-initialised tensors ({string.Join(", ", missing.Take(3))}, ...)");
        }
    }

    public static T? ReadState<T>(string folder, string stateFile)
    {
        var path = Path.Combine(folder, stateFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path)) : default;
    }
}
