namespace WebStudio.Onnx;

/// <summary>
/// One dimension of a graph input/output shape: a fixed size or a symbolic name such as "batch".
/// Converts implicitly from <see cref="int"/> and <see cref="string"/>, so shapes read as <c>["batch", 4, 64, 64]</c>.
/// </summary>
public readonly record struct Dim
{
    private Dim(long? value, string? symbol)
    {
        Value = value;
        Symbol = symbol;
    }

    public long? Value { get; }
    public string? Symbol { get; }

    public static Dim Fixed(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return new(value, null);
    }

    public static Dim Named(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return new(null, symbol);
    }

    public static implicit operator Dim(int value) => Fixed(value);
    public static implicit operator Dim(long value) => Fixed(value);
    public static implicit operator Dim(string symbol) => Named(symbol);

    public override string ToString() => Symbol ?? Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
