using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebStudio.Data;
using WebStudio.Studio.Admin;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Team;
using WebStudio.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WebStudio.Web.Tests.TeamAdmin;

/// <summary>Disabling an account: its cookie and API keys are refused on their next request, its queued jobs are
/// canceled with a reason, and enabling it lets it sign in again.</summary>
[Trait("Capability", "TeamAdmin")]
public sealed class DisableAccountTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_disabled_accounts_cookie_and_api_key_are_refused_on_their_next_request()
    {
        // No workers: the member's jobs stay queued until the disable cancels them.
        await using var studio = await TeamStudio.StartAsync(new Dictionary<string, string?> { ["Queue:RunJobs"] = "false" });
        var key = (await studio.Get<ApiKeyService>().CreateAsync(studio.MemberId, "before")).Key;
        using var api = studio.Host.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/v1/models")).StatusCode);
        var queued = await studio.Member.SubmitAsync("waiting when disabled");

        var clock = Stopwatch.StartNew();
        using var disable = await studio.Admin.Http.PostAsync($"/api/admin/users/{studio.MemberId}/disable", null);
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        var disabledAt = clock.Elapsed;
        using var cookieAnswer = await studio.Member.Http.GetAsync("/api/history");
        var cookieRefusedAt = clock.Elapsed;
        using var keyAnswer = await api.GetAsync("/v1/models");
        var keyRefusedAt = clock.Elapsed;

        output.WriteLine($"disable answered after {disabledAt.TotalMilliseconds:0} ms; the cookie's next request refused {(cookieRefusedAt - disabledAt).TotalMilliseconds:0} ms after, the API key's {(keyRefusedAt - disabledAt).TotalMilliseconds:0} ms after");
        Assert.Equal(HttpStatusCode.Unauthorized, cookieAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, keyAnswer.StatusCode);
        Assert.Equal("invalid_api_key", (await keyAnswer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());

        await using (var db = studio.Host.OpenDatabase())
        {
            var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == queued.Id);
            Assert.Equal(JobStatus.Canceled, job.Status);
            Assert.Equal(UserAdministration.DisabledReason, job.FailureReason);
        }

        // A fresh sign-in is refused too, until the administrator enables the account again.
        using var login = await StudioUserClient.Anonymous(studio.Host).PostFormAsync("/Account/Login", "login", new() { ["Input.Email"] = "member@example.test", ["Input.Password"] = "Passw0rd-test" });
        Assert.NotEqual(HttpStatusCode.Redirect, login.StatusCode);
        using var enable = await studio.Admin.Http.PostAsync($"/api/admin/users/{studio.MemberId}/enable", null);
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        var back = await AdminEndpointTests.SignInAsync(studio, "member");
        Assert.Equal(HttpStatusCode.OK, (await back.Http.GetAsync("/api/history")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/v1/models")).StatusCode);

        var audit = await studio.Get<AuditLog>().SearchAsync("member@example.test", 1, 10);
        Assert.Equal([AuditActions.Enabled, AuditActions.Disabled], audit.Entries.Select(e => e.Action).ToArray());
    }

    [Fact]
    public async Task A_disabled_accounts_open_circuit_loses_its_user_at_once()
    {
        await using var studio = await TeamStudio.StartAsync();
        var status = studio.Get<AccountStatus>();
        var told = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        status.Changed += id => told.TrySetResult(id);

        var clock = Stopwatch.StartNew();
        var outcome = await studio.Get<UserAdministration>().SetDisabledAsync(new Actor(studio.AdminId, "admin"), studio.MemberId, disabled: true);
        var id = await told.Task.WaitAsync(TimeSpan.FromSeconds(5));

        output.WriteLine($"circuits told {clock.Elapsed.TotalMilliseconds:0} ms after the disable began (other nodes: within {WebStudio.Web.Accounts.IdentityRevalidatingAuthenticationStateProvider.Interval.TotalSeconds:0} s)");
        Assert.True(outcome.Done);
        Assert.Equal(studio.MemberId, id);
        Assert.False(await status.IsActiveAsync(studio.MemberId));
    }

    [Fact]
    public async Task A_role_without_the_api_cannot_make_or_use_keys()
    {
        await using var studio = await TeamStudio.StartAsync();
        var key = (await studio.Get<ApiKeyService>().CreateAsync(studio.MemberId, "before")).Key;
        using var save = await studio.Admin.Http.PutAsJsonAsync($"/api/admin/roles/{StudioRoles.Member}", new { canGenerate = true, canUseApi = false, canShare = true, canUpscale = true, allowedModels = "" });
        Assert.Equal(HttpStatusCode.OK, save.StatusCode);

        using var api = studio.Host.Client(key);
        using var refused = await api.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("insufficient_permissions", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        await Assert.ThrowsAsync<PermissionDeniedException>(() => studio.Get<ApiKeyService>().CreateAsync(studio.MemberId, "after"));
    }
}
