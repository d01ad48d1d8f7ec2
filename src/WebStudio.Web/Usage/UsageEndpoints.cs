using Microsoft.AspNetCore.Mvc;
using WebStudio.Studio.Queue;
using WebStudio.Studio.Usage;

namespace WebStudio.Web.Usage;

/// <summary>The usage report's CSV export, for administrators only (others get 403, see ApiCookieEvents).</summary>
public static class UsageEndpoints
{
    public const string CsvPath = "/admin/usage.csv";

    public static IEndpointRouteBuilder MapUsageExport(this IEndpointRouteBuilder app)
    {
        app.MapGet(CsvPath, async (string? from, string? to, string? period, string? group, [FromServices] UsageMetering usage, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            if (UsageQuery.Parse(from, to, period, group, today, out var error) is not { } query)
            {
                return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);
            }

            var report = await usage.GetAsync(query.From, query.To, query.Period, query.Grouping, cancellationToken);
            var name = FormattableString.Invariant($"usage-{query.From:yyyy-MM-dd}-{query.To:yyyy-MM-dd}-{query.Grouping.ToString().ToLowerInvariant()}.csv");
            return Results.File(System.Text.Encoding.UTF8.GetBytes(UsageCsv.Write(report)), "text/csv; charset=utf-8", name);
        }).RequireAuthorization(policy => policy.RequireRole(JobAccess.AdminRole));
        return app;
    }
}
