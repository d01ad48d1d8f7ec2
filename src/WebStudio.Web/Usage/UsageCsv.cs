using System.Globalization;
using System.Text;
using WebStudio.Studio.Usage;

namespace WebStudio.Web.Usage;

/// <summary>The usage report as CSV (RFC 4180), one row per period and user or model.</summary>
public static class UsageCsv
{
    public static string Write(UsageReport report)
    {
        var csv = new StringBuilder();
        csv.Append(CultureInfo.InvariantCulture, $"period_start,period,{report.Grouping.ToString().ToLowerInvariant()},jobs,images,step_pixels,worker_seconds\r\n");
        foreach (var row in report.Rows)
        {
            var t = row.Totals;
            csv.Append(CultureInfo.InvariantCulture,
                $"{row.PeriodStart:yyyy-MM-dd},{report.Period.ToString().ToLowerInvariant()},{Field(row.Key)},{t.Jobs},{t.Images},{t.StepPixels},{t.WorkerMs / 1000:0.###}\r\n");
        }

        return csv.ToString();
    }

    /// <summary>Quoted when it holds a comma, quote or line break; a leading = + - @ is defused so that a spreadsheet
    /// does not run a user name as a formula.</summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
