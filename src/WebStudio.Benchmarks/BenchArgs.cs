using System.Globalization;

namespace WebStudio.Benchmarks;

/// <summary>The benchmarks' "--name value" options, read one way.</summary>
public static class BenchArgs
{
    public static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    public static int Int(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
