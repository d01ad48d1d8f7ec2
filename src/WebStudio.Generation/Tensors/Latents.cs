namespace WebStudio.Generation.Tensors;

/// <summary>
/// A dense NCHW float tensor: the unit the pipeline, schedulers and preview decoders pass around.
/// Data is row-major, so sample b starts at <c>b * Channels * Height * Width</c>.
/// </summary>
public sealed class Latents
{
    public Latents(float[] data, int batch, int channels, int height, int width)
    {
        if (data.Length != batch * channels * height * width)
        {
            throw new ArgumentException(
                $"Tensor data holds {data.Length} values, but shape [{batch},{channels},{height},{width}] needs {batch * channels * height * width}.",
                nameof(data));
        }

        Data = data;
        Batch = batch;
        Channels = channels;
        Height = height;
        Width = width;
    }

    public float[] Data { get; }
    public int Batch { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>Values in one sample of the batch.</summary>
    public int SampleLength => Channels * Height * Width;

    public static Latents Zeros(int batch, int channels, int height, int width) =>
        new(new float[batch * channels * height * width], batch, channels, height, width);

    /// <summary>A tensor of the same shape over other data (no copy).</summary>
    public Latents WithData(float[] data) => new(data, Batch, Channels, Height, Width);

    public Latents Clone() => new((float[])Data.Clone(), Batch, Channels, Height, Width);

    /// <summary>One sample of the batch as its own tensor (copied).</summary>
    public Latents Slice(int index) => Rows(index, 1);

    /// <summary>Samples [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) as their own tensor (copied).</summary>
    public Latents Rows(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Batch);
        var data = new float[count * SampleLength];
        Array.Copy(Data, start * SampleLength, data, 0, data.Length);
        return new Latents(data, count, Channels, Height, Width);
    }

    public int[] Shape => [Batch, Channels, Height, Width];
}
