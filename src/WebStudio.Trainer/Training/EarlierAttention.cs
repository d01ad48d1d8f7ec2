using WebStudio.Trainer.Models;
using static TorchSharp.torch;

namespace WebStudio.Trainer.Training;

/// <summary>
/// Copies a UNet into one whose attention starts at an earlier (larger) level. The transformers of the levels both
/// have move to their new index; the new levels' transformers keep their fresh weights but project out zero, so the
/// residual passes their input through and the copy predicts exactly what the source does. Training then starts from
/// a model that already draws the world, as <see cref="EditTrainer.Widen"/> starts the edit model.
/// </summary>
internal static class EarlierAttention
{
    private static readonly string[] Lists = [nameof(UNetNet.DownAttn), nameof(UNetNet.UpAttn)];

    public static void Copy(UNetNet source, UNetNet target)
    {
        var added = source.Config.FirstAttentionLevel - target.Config.FirstAttentionLevel;
        var rest = source.Config with { Channels = target.Config.Channels, FirstAttentionLevel = target.Config.FirstAttentionLevel };
        if (added < 0 || !source.Config.Channels.SequenceEqual(target.Config.Channels) || rest != target.Config)
        {
            throw new ArgumentException(
                $"Only attention at earlier levels can be added: the source attends from level {source.Config.FirstAttentionLevel}, the target from {target.Config.FirstAttentionLevel}, and nothing else may differ.");
        }

        using var _ = no_grad();
        var from = source.state_dict();
        foreach (var (name, tensor) in target.state_dict())
        {
            if (SourceName(name, added) is { } sourceName)
            {
                tensor.copy_(from[sourceName]);
            }
            else if (name.EndsWith($".{nameof(SpatialTransformer.ProjectOut)}.weight", StringComparison.Ordinal)
                || name.EndsWith($".{nameof(SpatialTransformer.ProjectOut)}.bias", StringComparison.Ordinal))
            {
                tensor.zero_();
            }
        }
    }

    /// <summary>The source's name for a target tensor, or null for a tensor of an added level's transformer.</summary>
    private static string? SourceName(string name, int added)
    {
        var parts = name.Split('.');
        if (parts.Length < 2 || !Lists.Contains(parts[0]))
        {
            return name;
        }

        var index = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) - added;
        return index < 0 ? null : string.Join('.', [parts[0], index.ToString(System.Globalization.CultureInfo.InvariantCulture), .. parts[2..]]);
    }
}
