using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WebStudio.Data;
using WebStudio.Studio.Team;
using WebStudio.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WebStudio.Web.Tests.TeamAdmin;

/// <summary>The admin area's endpoints: administrators only, each change audited, the last administrator kept.</summary>
[Trait("Capability", "TeamAdmin")]
public sealed class AdminEndpointTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_member_gets_403_from_every_admin_endpoint_and_learns_nothing()
    {
        await using var studio = await TeamStudio.StartAsync();
        var routes = studio.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/admin", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Pattern: e.RoutePattern.RawText!)))
            .ToList();
        Assert.True(routes.Count >= 10, $"only {routes.Count} admin routes found");

        foreach (var (method, pattern) in routes)
        {
            // A real id and a made-up one must be answered alike.
            var bodies = new List<string>();
            foreach (var id in new[] { studio.AdminId, Guid.NewGuid().ToString() })
            {
                var path = pattern.Replace("{id:guid}", Guid.NewGuid().ToString()).Replace("{id}", id).Replace("{role}", StudioRoles.Member);
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { role = "Admin" }) };
                using var response = await studio.Member.Http.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} gave {(int)response.StatusCode} to a member");
                // Each answer has its own trace id and echoes its path; the rest must be the same.
                var body = (await response.Content.ReadAsStringAsync()).Replace(path, "", StringComparison.Ordinal);
                bodies.Add(System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]*\"", ""));
            }

            Assert.Equal(bodies[0], bodies[1]);
            Assert.DoesNotContain(studio.AdminId, bodies[0], StringComparison.Ordinal);
        }

        output.WriteLine($"{routes.Count} admin routes refused to a member with the same 403, whatever the id");
        Assert.True((await studio.Get<TeamPolicies>().ForUserAsync(studio.AdminId)).IsAdmin);
    }

    [Fact]
    public async Task The_administrator_lists_users_and_a_role_change_is_audited_and_enforced()
    {
        await using var studio = await TeamStudio.StartAsync();
        var users = await studio.Admin.Http.GetFromJsonAsync<JsonElement>("/api/admin/users");
        Assert.Equal(["Admin", "Member"], users.EnumerateArray().OrderBy(u => u.GetProperty("name").GetString()).Select(u => u.GetProperty("role").GetString()!).ToArray());

        using var change = await studio.Admin.Http.PostAsJsonAsync($"/api/admin/users/{studio.MemberId}/role", new { role = StudioRoles.Viewer });
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);

        // The new role renews the account's stamp: the old cookie is refused; signed in again, a Viewer may not generate.
        using var stale = await studio.Member.Http.GetAsync("/api/history");
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        var viewer = await SignInAsync(studio, "member");
        using var refused = await viewer.Http.PostAsJsonAsync("/api/jobs", StudioUserClient.Parameters("a viewer's try"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("the Viewer role may not generate images", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var audit = await studio.Admin.Http.GetFromJsonAsync<JsonElement>("/api/admin/audit?search=member");
        var entry = audit.GetProperty("entries").EnumerateArray().Single();
        Assert.Equal(AuditActions.RoleChanged, entry.GetProperty("action").GetString());
        Assert.Equal("Member → Viewer", entry.GetProperty("details").GetString());
        Assert.Equal("admin@example.test", entry.GetProperty("actorName").GetString());
    }

    [Fact]
    public async Task The_audit_page_of_a_new_studio_says_that_nothing_is_logged_yet_and_what_will_be()
    {
        await using var studio = await TeamStudio.StartAsync();

        var page = await studio.Admin.Http.GetStringAsync("/admin/audit");

        Assert.Contains("id=\"audit-empty\"", page, StringComparison.Ordinal);
        Assert.Contains("Nothing is logged yet.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"audit-row\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_alone_opens_the_users_page_for_the_administrator_and_is_refused_to_a_member()
    {
        await using var studio = await TeamStudio.StartAsync();

        using var admin = await studio.Admin.Http.GetAsync("/admin");
        using var member = await studio.Member.Http.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("<title>Users · WebStudio</title>", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, member.StatusCode);
    }

    [Fact]
    public async Task A_roles_limits_are_refused_with_a_message_that_names_them()
    {
        await using var studio = await TeamStudio.StartAsync();
        using var save = await studio.Admin.Http.PutAsJsonAsync($"/api/admin/roles/{StudioRoles.Member}", new
        {
            canGenerate = true, canUseApi = true, canShare = true, canUpscale = true, allowedModels = "tiny", maxSteps = 3, maxSide = 64,
        });
        Assert.Equal(HttpStatusCode.OK, save.StatusCode);

        using var tooMany = await studio.Member.Http.PostAsJsonAsync("/api/jobs", StudioUserClient.Parameters("too many steps", steps: 4));
        Assert.Equal(HttpStatusCode.Forbidden, tooMany.StatusCode);
        Assert.Contains("the Member role may use at most 3 steps", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var fine = await studio.Member.Http.PostAsJsonAsync("/api/jobs", StudioUserClient.Parameters("three steps", steps: 3));
        Assert.Equal(HttpStatusCode.Created, fine.StatusCode);
        using var bad = await studio.Admin.Http.PutAsJsonAsync($"/api/admin/roles/{StudioRoles.Member}", new { maxSteps = 0 });
        Assert.Equal(HttpStatusCode.Conflict, bad.StatusCode);
        Assert.Contains("at least 1", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_administrator_cannot_be_demoted_disabled_or_deleted_through_the_endpoints()
    {
        await using var studio = await TeamStudio.StartAsync();
        foreach (var (method, path) in new[] { ("POST", $"/api/admin/users/{studio.AdminId}/role"), ("POST", $"/api/admin/users/{studio.AdminId}/disable") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { role = StudioRoles.Member }) };
            using var response = await studio.Admin.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("last administrator", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var still = await studio.Admin.Http.GetAsync("/api/admin/users");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task An_invitation_link_opens_closed_registration_once_and_gives_its_role()
    {
        using var folder = new TempFolder();
        var closed = ScriptedStudio.Create(folder, settings: new Dictionary<string, string?> { ["Studio:AllowRegistration"] = "false" });
        await using (closed)
        {
            var admin = await StudioUserClient.RegisterAsync(closed, "boss");
            using var invite = await admin.Http.PostAsJsonAsync("/api/admin/invitations", new { role = StudioRoles.Viewer });
            var url = new Uri((await invite.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
            var guest = StudioUserClient.Anonymous(closed);
            var fields = new Dictionary<string, string> { ["Input.Email"] = "guest@example.test", ["Input.Password"] = "Passw0rd-test", ["Input.ConfirmPassword"] = "Passw0rd-test" };

            using var first = await guest.PostFormAsync(url.PathAndQuery, "register", fields);
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
            var again = StudioUserClient.Anonymous(closed);
            Assert.Contains("already used or has expired", await again.Http.GetStringAsync(url.PathAndQuery), StringComparison.Ordinal);

            var users = await admin.Http.GetFromJsonAsync<JsonElement>("/api/admin/users");
            Assert.Equal(StudioRoles.Viewer, users.EnumerateArray().Single(u => u.GetProperty("name").GetString() == "guest@example.test").GetProperty("role").GetString());
        }
    }

    [Fact]
    public async Task A_password_reset_link_sets_a_new_password_once()
    {
        await using var studio = await TeamStudio.StartAsync();
        using var made = await studio.Admin.Http.PostAsync($"/api/admin/users/{studio.MemberId}/password-reset", null);
        var url = new Uri((await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
        var fields = new Dictionary<string, string> { ["Input.Password"] = "N3w-password", ["Input.ConfirmPassword"] = "N3w-password" };

        var visitor = StudioUserClient.Anonymous(studio.Host);
        using var first = await visitor.PostFormAsync(url.PathAndQuery, "reset-password", fields);
        Assert.Contains("Your password was changed", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var second = await StudioUserClient.Anonymous(studio.Host).PostFormAsync(url.PathAndQuery, "reset-password", fields);
        Assert.Contains("this reset link is not valid", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await SignInAsync(studio, "member", "N3w-password");
    }

    internal static async Task<StudioUserClient> SignInAsync(TeamStudio studio, string name, string password = "Passw0rd-test")
    {
        var client = StudioUserClient.Anonymous(studio.Host);
        using var response = await client.PostFormAsync("/Account/Login", "login", new()
        {
            ["Input.Email"] = $"{name}@example.test",
            ["Input.Password"] = password,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"signing in {name} gave {(int)response.StatusCode}");
        return client;
    }
}
