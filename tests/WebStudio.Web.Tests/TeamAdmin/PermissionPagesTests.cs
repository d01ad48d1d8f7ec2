using System.Net;
using WebStudio.Data;
using WebStudio.Studio.Admin;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Team;

namespace WebStudio.Web.Tests.TeamAdmin;

/// <summary>
/// Pages whose form the server would refuse show a plain notice instead, decided by the role's permissions (the
/// check the server makes), not by the role's name: read from the prerendered HTML.
/// </summary>
[Trait("Capability", "TeamAdmin")]
public sealed class PermissionPagesTests
{
    private const string Notice = "id=\"permission-notice\"";

    [Fact]
    public async Task A_viewer_gets_a_notice_instead_of_the_generate_edit_and_api_key_forms()
    {
        await using var studio = await TeamStudio.StartAsync();
        Assert.True((await studio.Get<UserAdministration>().SetRoleAsync(new Actor(studio.AdminId, "admin"), studio.MemberId, StudioRoles.Viewer)).Done);
        var viewer = await AdminEndpointTests.SignInAsync(studio, "member"); // the role change renewed the stamp

        var generate = await PageAsync(viewer, "/");
        Assert.Contains(Notice, generate, StringComparison.Ordinal);
        Assert.Contains("may not generate images", generate, StringComparison.Ordinal);
        Assert.Contains("href=\"/galleries\"", generate, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"generate\"", generate, StringComparison.Ordinal);

        var edit = await PageAsync(viewer, "/edit");
        Assert.Contains(Notice, edit, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"edit-operation\"", edit, StringComparison.Ordinal);

        var keys = await PageAsync(viewer, "/api-keys");
        Assert.Contains(Notice, keys, StringComparison.Ordinal);
        Assert.Contains("may not use the API", keys, StringComparison.Ordinal);
        Assert.DoesNotContain("create-key", keys, StringComparison.Ordinal);

        // A member keeps the forms.
        var member = await PageAsync(studio.Admin, "/");
        Assert.Contains("id=\"generate\"", member, StringComparison.Ordinal);
        Assert.DoesNotContain(Notice, member, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_notice_follows_the_roles_permissions_not_its_name()
    {
        await using var studio = await TeamStudio.StartAsync();
        var permissions = (await studio.Get<TeamPolicies>().ForUserAsync(studio.MemberId)).Permissions;
        permissions.CanUseApi = false;
        Assert.True((await studio.Get<UserAdministration>().SaveRolePolicyAsync(new Actor(studio.AdminId, "admin"), permissions)).Done);

        // A Member whose role may not use the API: no key form, and still the Generate form.
        var keys = await PageAsync(studio.Member, "/api-keys");
        Assert.Contains(Notice, keys, StringComparison.Ordinal);
        Assert.Contains("Your role (Member) may not use the API", keys, StringComparison.Ordinal);
        var generate = await PageAsync(studio.Member, "/");
        Assert.Contains("id=\"generate\"", generate, StringComparison.Ordinal);
        Assert.DoesNotContain(Notice, generate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_lists_and_answers_for_only_the_models_the_keys_owner_may_use()
    {
        await using var studio = await TeamStudio.StartAsync();
        var permissions = (await studio.Get<TeamPolicies>().ForUserAsync(studio.MemberId)).Permissions;
        permissions.AllowedModels = "another-model";
        Assert.True((await studio.Get<UserAdministration>().SaveRolePolicyAsync(new Actor(studio.AdminId, "admin"), permissions)).Done);
        var keys = studio.Get<ApiKeyService>();

        var memberKey = (await keys.CreateAsync(studio.MemberId, "member's key")).Key;
        Assert.Equal("[]", await ModelIdsAsync(studio, memberKey));
        Assert.Equal("[\"tiny\"]", await ModelIdsAsync(studio, (await keys.CreateAsync(studio.AdminId, "admin's key")).Key));

        // One model asked for by name is answered as OpenAI answers a model a key cannot reach.
        using var http = studio.Host.Client(memberKey);
        using var one = await http.GetAsync("/v1/models/tiny");
        Assert.Equal(HttpStatusCode.NotFound, one.StatusCode);
        Assert.Contains("does not exist or your role may not use it", await one.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<string> ModelIdsAsync(TeamStudio studio, string key)
    {
        using var http = studio.Host.Client(key);
        using var list = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/v1/models"));
        return System.Text.Json.JsonSerializer.Serialize(list.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    private static async Task<string> PageAsync(Infrastructure.StudioUserClient client, string path)
    {
        using var response = await client.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
