using System.Globalization;
using System.Text;

namespace WebStudio.SdSynth;

/// <summary>One graph's parameter count and, when written, its bytes on disk (model.onnx + external data).</summary>
public sealed record ComponentReport(string Component, long Parameters, long Bytes);

/// <summary>What a synthetic folder holds; <see cref="ToTable"/> prints it beside SD 1.5's (or SDXL base's) counts.</summary>
public sealed record SynthReport(SdArchitecture Architecture, bool Fp16, IReadOnlyList<ComponentReport> Components)
{
    public long TotalParameters => Components.Sum(c => c.Parameters);

    public string ToTable()
    {
        var text = new StringBuilder();
        var reference = Architecture == SdArchitecture.Sd15 ? Sd15Reference.Parameters
            : Architecture == SdArchitecture.Sdxl ? SdxlReference.Parameters
            : null;
        var compare = reference is not null;
        var referenceName = Architecture == SdArchitecture.Sdxl ? "SDXL base" : "SD 1.5";
        text.AppendLine(CultureInfo.InvariantCulture, $"Synthetic {Architecture.Name} ({(Fp16 ? "fp16" : "fp32")}) parameters:");
        text.AppendLine();
        text.AppendLine(compare
            ? $"| graph | parameters | {referenceName} | difference | on disk |"
            : "| graph | parameters | on disk |");
        text.AppendLine(compare ? "|---|---:|---:|---:|---:|" : "|---|---:|---:|");
        foreach (var c in Components)
        {
            var size = c.Bytes > 0 ? string.Create(CultureInfo.InvariantCulture, $"{c.Bytes / 1e6:N1} MB") : "-";
            text.AppendLine(compare
                ? string.Create(CultureInfo.InvariantCulture, $"| {c.Component} | {c.Parameters:N0} | {reference![c.Component]:N0} | {(c.Parameters - reference[c.Component]) / (double)reference[c.Component]:+0.000%;-0.000%;0.000%} | {size} |")
                : string.Create(CultureInfo.InvariantCulture, $"| {c.Component} | {c.Parameters:N0} | {size} |"));
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| total | {TotalParameters:N0} |");
        return text.ToString();
    }
}
