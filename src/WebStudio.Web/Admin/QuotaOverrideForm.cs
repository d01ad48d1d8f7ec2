using System.Globalization;
using WebStudio.Studio.Team;

namespace WebStudio.Web.Admin;

/// <summary>
/// The Users page's editor of one user's quota overrides, as typed: each field a whole number, or empty for the
/// role's figure. Parsing names the field a bad entry is in; the ranges are the service's to check
/// (UserAdministration.SetQuotaAsync, as for <c>PUT /api/admin/users/{id}/quota</c>).
/// </summary>
public sealed class QuotaOverrideForm
{
    public string ImagesPerDay { get; set; } = "";

    public string GpuSecondsPerDay { get; set; } = "";

    public string MaxQueued { get; set; } = "";

    public string SubmissionsPerMinute { get; set; } = "";

    public static QuotaOverrideForm Of(Quotas? quotas) => new()
    {
        ImagesPerDay = Text(quotas?.ImagesPerDay),
        GpuSecondsPerDay = Text(quotas?.GpuSecondsPerDay),
        MaxQueued = Text(quotas?.MaxQueued),
        SubmissionsPerMinute = Text(quotas?.SubmissionsPerMinute),
    };

    /// <returns>The overrides, or null with <paramref name="error"/> naming the field that is not a whole number.</returns>
    public Quotas? Parse(out string? error)
    {
        error = null;
        var bad = new List<string>();
        var quotas = new Quotas(
            Number(ImagesPerDay, "images per day", bad),
            Number(GpuSecondsPerDay, "GPU-seconds per day", bad),
            Number(MaxQueued, "queued jobs", bad),
            Number(SubmissionsPerMinute, "submissions per minute", bad));
        if (bad.Count == 0)
        {
            return quotas;
        }

        error = $"{string.Join(", ", bad)}: write a whole number, or leave it empty for the role's quota";
        return null;
    }

    /// <summary>The overrides in a few words for the user's row; null when the user has none.</summary>
    public static string? Describe(Quotas? quotas)
    {
        if (quotas is null)
        {
            return null;
        }

        var parts = new List<string>();
        Add(quotas.ImagesPerDay, "images/day");
        Add(quotas.GpuSecondsPerDay, "GPU-s/day");
        Add(quotas.MaxQueued, "queued");
        Add(quotas.SubmissionsPerMinute, "submissions/min");
        return parts.Count == 0 ? null : string.Join(" · ", parts);

        void Add(int? value, string unit)
        {
            if (value is { } v)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{v} {unit}"));
            }
        }
    }

    private static string Text(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static int? Number(string text, string field, List<string> bad)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        bad.Add(field);
        return null;
    }
}
