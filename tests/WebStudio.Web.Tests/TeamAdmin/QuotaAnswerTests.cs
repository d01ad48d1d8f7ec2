using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebStudio.Studio.Admin;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Team;

namespace WebStudio.Web.Tests.TeamAdmin;

/// <summary>A used-up quota: the studio answers 429 naming the quota and its reset, the API 429 with Retry-After in
/// OpenAI's error shape.</summary>
[Trait("Capability", "TeamAdmin")]
public sealed class QuotaAnswerTests
{
    [Fact]
    public async Task A_used_up_daily_quota_answers_429_with_retry_after_in_the_studio_and_the_api()
    {
        await using var studio = await TeamStudio.StartAsync(new Dictionary<string, string?> { ["Queue:RunJobs"] = "false" });
        Assert.True((await studio.Get<UserAdministration>().SetQuotaAsync(new Actor(studio.AdminId, "admin"), studio.MemberId, new Quotas(1, null, null, null))).Done);
        await studio.Member.SubmitAsync("the one image of today");

        using var studioAnswer = await studio.Member.Http.PostAsJsonAsync("/api/jobs", Infrastructure.StudioUserClient.Parameters("one too many"));
        Assert.Equal(HttpStatusCode.TooManyRequests, studioAnswer.StatusCode);
        Assert.True(studioAnswer.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");
        var text = await studioAnswer.Content.ReadAsStringAsync();
        Assert.Contains("daily image quota reached: 1 images a day", text, StringComparison.Ordinal);
        Assert.Contains("resets at 00:00 UTC", text, StringComparison.Ordinal);

        var key = (await studio.Get<ApiKeyService>().CreateAsync(studio.MemberId, "quota")).Key;
        using var api = studio.Host.Client(key);
        using var apiAnswer = await api.PostAsJsonAsync("/v1/images/generations", new { prompt = "over quota", size = "64x64", model = "tiny" });
        Assert.Equal(HttpStatusCode.TooManyRequests, apiAnswer.StatusCode);
        Assert.True(apiAnswer.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");
        var error = (await apiAnswer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("quota_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Contains("daily image quota", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var (_, use) = await studio.Get<TeamPolicies>().UseAsync(studio.MemberId);
        Assert.Equal(0, use.ImagesLeft);
    }
}
