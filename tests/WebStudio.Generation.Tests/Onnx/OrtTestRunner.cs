using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OrtFloat16 = Microsoft.ML.OnnxRuntime.Float16;

namespace WebStudio.Generation.Tests.Onnx;

/// <summary>Runs a written model on the ORT CPU provider and hands back outputs as plain arrays.</summary>
internal static class OrtTestRunner
{
    public static Dictionary<string, (float[] Data, int[] Shape, Type ElementType)> Run(string modelPath, params NamedOnnxValue[] inputs)
    {
        using var session = new InferenceSession(modelPath);
        using var results = session.Run(inputs);
        var outputs = new Dictionary<string, (float[], int[], Type)>();
        foreach (var result in results)
        {
            outputs[result.Name] = result.Value switch
            {
                Tensor<float> t => (t.ToArray(), t.Dimensions.ToArray(), typeof(float)),
                Tensor<OrtFloat16> t => (t.ToArray().Select(h => WebStudio.Onnx.Float16.ToFloat(h.value)).ToArray(), t.Dimensions.ToArray(), typeof(OrtFloat16)),
                Tensor<long> t => (t.ToArray().Select(v => (float)v).ToArray(), t.Dimensions.ToArray(), typeof(long)),
                Tensor<int> t => (t.ToArray().Select(v => (float)v).ToArray(), t.Dimensions.ToArray(), typeof(int)),
                _ => throw new InvalidOperationException($"Unexpected output type for {result.Name}."),
            };
        }

        return outputs;
    }

    public static NamedOnnxValue Floats(string name, float[] data, params int[] dims) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(data, dims));

    public static NamedOnnxValue Halves(string name, float[] data, params int[] dims) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<OrtFloat16>(
            data.Select(v => new OrtFloat16(WebStudio.Onnx.Float16.FromFloat(v))).ToArray(), dims));

    public static NamedOnnxValue Longs(string name, long[] data, params int[] dims) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(data, dims));

    public static NamedOnnxValue Ints(string name, int[] data, params int[] dims) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<int>(data, dims));

    public static float[] Seeded(int count, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray();
    }
}
