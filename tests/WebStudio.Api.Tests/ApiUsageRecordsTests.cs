using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace WebStudio.Api.Tests;

/// <summary>The Images API's usage block counts the work its jobs' usage records hold: the record the administrator's
/// usage report reads.</summary>
[Trait("Capability", "TeamAdmin")]
public sealed class ApiUsageRecordsTests(StudioHost server) : IClassFixture<StudioHost>
{
    [Fact]
    public async Task The_output_tokens_are_the_steps_times_images_of_the_jobs_usage_records()
    {
        var (userId, key) = await server.CreateUserWithKeyAsync("usage-records");
        using var api = server.Client(key);

        using var response = await api.PostAsJsonAsync("/v1/images/generations", new { prompt = "a ring", model = StudioHost.Model, size = "64x64", steps = 3, n = 2 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var usage = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage");
        await using var db = server.OpenDatabase();
        var records = await db.UsageRecords.AsNoTracking().Where(r => r.OwnerId == userId).ToListAsync();
        Assert.Equal(2, records.Sum(r => r.Images));
        Assert.All(records, r => Assert.Equal(3, r.Steps));
        Assert.Equal(3 * 2, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(records.Sum(r => r.Steps * r.Images), usage.GetProperty("output_tokens").GetInt32());
    }
}
