using Google.Protobuf;
using Onnx;

namespace WebStudio.Onnx;

/// <summary>Writes models to disk, optionally with large initializers in an external data file.</summary>
public static class ModelWriter
{
    public static void Save(GraphBuilder graph, string path, ExternalDataOptions? externalData = null) =>
        Save(graph.Build(), path, externalData);

    public static void Save(ModelProto model, string path, ExternalDataOptions? externalData = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);

        if (externalData is not null)
        {
            // Work on a copy: moving data out must not empty the caller's tensors.
            model = model.Clone();
            MoveToExternalFile(model.Graph, Path.Combine(directory, externalData.FileName), externalData);
        }

        using var stream = File.Create(path);
        model.WriteTo(stream);
    }

    private static void MoveToExternalFile(GraphProto graph, string dataPath, ExternalDataOptions options)
    {
        if (options.Alignment < 0)
        {
            throw new ArgumentException($"Alignment must be zero or positive, not {options.Alignment}.", nameof(options));
        }

        var large = graph.Initializer.Where(t => !t.RawData.IsEmpty && t.RawData.Length >= options.SizeThreshold).ToList();
        if (large.Count == 0)
        {
            return;
        }

        using var data = File.Create(dataPath);
        foreach (var tensor in large)
        {
            if (options.Alignment > 0 && data.Position % options.Alignment != 0)
            {
                data.Write(new byte[options.Alignment - data.Position % options.Alignment]);
            }

            var offset = data.Position;
            tensor.RawData.WriteTo(data);
            tensor.ExternalData.Add(Entry("location", options.FileName));
            tensor.ExternalData.Add(Entry("offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            tensor.ExternalData.Add(Entry("length", tensor.RawData.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            tensor.DataLocation = TensorProto.Types.DataLocation.External;
            tensor.RawData = ByteString.Empty;
        }
    }

    private static StringStringEntryProto Entry(string key, string value) => new() { Key = key, Value = value };
}
