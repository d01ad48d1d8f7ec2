using Google.Protobuf;
using Onnx;

namespace WebStudio.Generation.Models;

/// <summary>
/// Checks, before ORT loads a graph, that every external weight file it names exists beside it and is long enough.
/// ORT's own message for a missing or short data file is a low-level I/O error; this one names the file.
/// </summary>
internal static class ExternalDataCheck
{
    // A graph with external weights is small; a big model.onnx holds its weights inline and names no data file.
    private const long MaxGraphBytesToScan = 256L * 1024 * 1024;

    public static void Verify(string modelPath, string displayName)
    {
        var info = new FileInfo(modelPath);
        if (info.Length > MaxGraphBytesToScan)
        {
            return;
        }

        ModelProto model;
        try
        {
            using var stream = File.OpenRead(modelPath);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ModelLoadException($"{displayName} is not a valid ONNX file: {ex.Message}", ex);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        var needed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var tensor in AllTensors(model.Graph))
        {
            if (tensor.DataLocation != TensorProto.Types.DataLocation.External)
            {
                continue;
            }

            string? location = null;
            long offset = 0, length = 0;
            foreach (var entry in tensor.ExternalData)
            {
                switch (entry.Key)
                {
                    case "location": location = entry.Value; break;
                    case "offset": offset = long.Parse(entry.Value, System.Globalization.CultureInfo.InvariantCulture); break;
                    case "length": length = long.Parse(entry.Value, System.Globalization.CultureInfo.InvariantCulture); break;
                }
            }

            if (location is null)
            {
                throw new ModelLoadException($"{displayName}: tensor '{tensor.Name}' is stored externally but names no file.");
            }

            needed[location] = Math.Max(needed.GetValueOrDefault(location), offset + length);
        }

        var componentFolder = Path.GetFileName(folder);
        foreach (var (location, end) in needed)
        {
            var path = Path.GetFullPath(Path.Combine(folder, location));
            if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new ModelLoadException($"{displayName}: external data file '{location}' lies outside the model folder.");
            }

            var data = new FileInfo(path);
            if (!data.Exists)
            {
                throw new ModelLoadException($"{displayName} needs the external data file {componentFolder}/{location}, which is missing.");
            }

            if (data.Length < end)
            {
                throw new ModelLoadException(
                    $"{displayName}: external data file {componentFolder}/{location} is truncated ({data.Length:N0} bytes, the graph needs {end:N0}).");
            }
        }
    }

    private static IEnumerable<TensorProto> AllTensors(GraphProto graph)
    {
        foreach (var initializer in graph.Initializer)
        {
            yield return initializer;
        }

        foreach (var node in graph.Node)
        {
            foreach (var attribute in node.Attribute)
            {
                if (attribute.T is { } t)
                {
                    yield return t;
                }

                foreach (var sub in attribute.Graphs.Append(attribute.G).Where(g => g is not null))
                {
                    foreach (var nested in AllTensors(sub))
                    {
                        yield return nested;
                    }
                }
            }
        }
    }
}
